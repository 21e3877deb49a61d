import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archives.models import TenantFile, tenant_name_for


class FileTable(tables.Table):
    number = tables.Column(linkify=True)
    unit = tables.Column(
        linkify=lambda record: record.unit.get_absolute_url(), order_by="unit__code"
    )
    tenant = tables.Column(order_by="tenant__name")
    document_count = tables.Column(verbose_name=_("documents"), attrs={"td": {"class": "money"}})
    missing = tables.Column(verbose_name=_("missing"), attrs={"td": {"class": "money"}})
    location = tables.Column(
        verbose_name=_("location"), empty_values=(), order_by=("cabinet", "box")
    )

    class Meta:
        model = TenantFile
        fields = ["number", "unit", "tenant", "kind", "opened_on", "document_count", "missing"]
        sequence = [*fields, "location"]
        order_by = "number"
        empty_text = _("No tenant file matches.")

    def render_tenant(self, record):
        return tenant_name_for(self.request.user, record.tenant.name, record.tenant.kind)

    def render_missing(self, value):
        # The view annotates the count (archives.selectors.file_list).
        if value:
            return format_html('<span class="badge text-bg-warning">{}</span>', value)
        return format_html('<span class="text-success">{}</span>', "✓")

    def render_location(self, record):
        return record.location
