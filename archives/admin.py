from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from archives.models import Contractor, Occupancy, Tenant, Unit


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "area", "status", "business"]
    list_filter = ["status", "block"]
    search_fields = ["code"]


@admin.register(Tenant)
class TenantAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "contact_name", "phone", "last_verified_on"]
    list_filter = ["kind"]
    search_fields = ["name", "phone", "credit_code"]


@admin.register(Occupancy)
class OccupancyAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "tenant", "role", "moved_in_on", "handed_over_on"]
    raw_id_fields = ["unit", "tenant"]
    search_fields = ["unit__code", "tenant__name"]


@admin.register(Contractor)
class ContractorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "contact_name", "phone", "active"]
    search_fields = ["name", "credit_code"]
