from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from archives.models import AccessLog, Contractor, Occupancy, Tenant, Unit
from config.people import person_name
from config.permanence import PermanentAdmin
from config.privacy import ID_NUMBER, MOBILE
from config.privacy_admin import PersonalDataAdmin


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "area", "status", "business"]
    list_filter = ["status", "block"]
    search_fields = ["code"]


@admin.register(Tenant)
class TenantAdmin(PersonalDataAdmin):
    list_display = ["name", "kind", "contact_name", "phone", "last_verified_on"]
    list_filter = ["kind"]
    search_fields = ["name", "phone", "credit_code"]
    personal_fields = {"id_number": ID_NUMBER, "phone": MOBILE}


@admin.register(Occupancy)
class OccupancyAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "tenant", "role", "moved_in_on", "handed_over_on"]
    raw_id_fields = ["unit", "tenant"]
    search_fields = ["unit__code", "tenant__name"]
    # The shop handover (收铺, deposits) writes these once its checklist is clear: the admin
    # shows them and never bypasses the gate.
    readonly_fields = [
        "handed_over_on",
        "keys_returned",
        "electricity_reading",
        "water_reading",
        "condition",
        "deposits_settled",
        "handed_over_to",
    ]


@admin.register(Contractor)
class ContractorAdmin(PersonalDataAdmin):
    list_display = ["name", "credit_code", "contact_name", "phone", "active"]
    search_fields = ["name", "credit_code", "phone"]
    personal_fields = {"phone": MOBILE}


@admin.register(AccessLog)
class AccessLogAdmin(PermanentAdmin, admin.ModelAdmin):
    """Read-only: the application writes the log; nobody adds, edits or deletes a row."""

    list_display = ["at", "shown_to", "kind", "subject", "page"]
    list_filter = ["kind"]
    search_fields = ["subject"]
    date_hierarchy = "at"

    @admin.display(description=_("shown to"))
    def shown_to(self, entry: AccessLog) -> str:
        return person_name(entry.user)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
