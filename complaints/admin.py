"""The manager's lists that change seldom: departments and their members, case categories."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from complaints.models import Category, Department


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "extension", "active"]
    filter_horizontal = ["members"]


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "active"]
    list_select_related = ["parent"]
