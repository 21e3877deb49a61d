from datetime import timedelta

import django_tables2 as tables
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archives.models import Contractor, Occupancy, Tenant, Unit, tenant_name_for
from config.privacy import mobile_for


class UnitTable(tables.Table):
    code = tables.Column(linkify=True)
    area = tables.Column(attrs={"td": {"class": "money"}})
    current_tenant = tables.Column(verbose_name=_("current tenant"))

    class Meta:
        model = Unit
        fields = ["code", "block", "floor", "area", "status", "business", "current_tenant"]
        order_by = "code"
        empty_text = _("No unit matches.")

    def order_current_tenant(self, queryset, is_descending):
        # Vacant units last either way, and the code decides between equal names.
        name = F("current_tenant")
        name = name.desc(nulls_last=True) if is_descending else name.asc(nulls_last=True)
        return queryset.order_by(name, "code"), True

    def render_current_tenant(self, value, record):
        # The view annotates the current tenant's name and kind (archives.views.register.UnitList).
        return tenant_name_for(self.request.user, value, record.current_tenant_kind)


class TenantTable(tables.Table):
    name = tables.Column(linkify=True)
    phone = tables.Column()
    units = tables.Column(verbose_name=_("units"), empty_values=(), orderable=False)
    last_verified_on = tables.Column()

    class Meta:
        model = Tenant
        fields = ["name", "kind", "contact_name", "phone", "units", "last_verified_on"]
        order_by = "name"
        empty_text = _("No tenant matches.")

    def render_phone(self, value):
        return mobile_for(self.request.user, value)

    def render_units(self, record):
        # record.current_occupancies is prefetched by the view: one query for the page.
        return ", ".join(o.unit.code for o in record.current_occupancies) or "—"

    def render_last_verified_on(self, value, record):
        cutoff = timezone.localdate() - timedelta(days=settings.TENANT_VERIFY_EVERY_DAYS)
        if value is None or value < cutoff:
            return format_html(
                '{} <span class="badge text-bg-warning">{}</span>',
                value or "—",
                _("verification due"),
            )
        return value


class OccupancyTable(tables.Table):
    unit = tables.Column(
        linkify=lambda record: record.unit.get_absolute_url(), order_by="unit__code"
    )
    tenant = tables.Column(
        linkify=lambda record: record.tenant.get_absolute_url(), order_by="tenant__name"
    )
    detail = tables.Column(verbose_name=_("details"), empty_values=(), orderable=False)

    class Meta:
        model = Occupancy
        fields = ["unit", "tenant", "role", "moved_in_on", "lease_ends_on", "handed_over_on"]
        order_by = "-moved_in_on"
        empty_text = _("No occupancy matches.")

    def render_detail(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), _("view"))


class ContractorTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Contractor
        fields = ["name", "credit_code", "contact_name", "phone", "active"]
        order_by = "name"
        empty_text = _("No contractor matches.")

    def render_phone(self, value):
        return mobile_for(self.request.user, value)
