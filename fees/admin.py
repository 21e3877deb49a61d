from decimal import Decimal

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from config.fields import MoneyField
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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The same exact amount as at the desk (Django's own field would read "1e3");
        # 0 is a fee whose price the desk types each time.
        if db_field.name == "default_amount":
            return MoneyField(label=db_field.verbose_name, min_value=Decimal("0"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # a fee type on a receipt stays; retire it with "active"
