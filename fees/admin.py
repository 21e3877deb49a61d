from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fees.models import FeeType


@admin.register(FeeType)
class FeeTypeAdmin(SimpleHistoryAdmin):
    """The fee catalogue, kept by the administrator. Money records are changed only through
    the desk's own pages and services, never here."""

    list_display = [
        "code",
        "name_zh",
        "name_en",
        "category",
        "default_amount",
        "active",
        "sort_order",
    ]
    list_editable = ["default_amount", "active", "sort_order"]
    list_filter = ["category", "active"]
    search_fields = ["code", "name_zh", "name_en"]

    def has_delete_permission(self, request, obj=None):
        return False  # a fee type on a receipt stays; retire it with "active"
