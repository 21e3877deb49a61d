import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archives.models import AccessLog, AccessRequest, AccessStatus
from config.dates import DateColumn
from config.people import PersonColumn


class AccessLogTable(tables.Table):
    at = DateColumn(format="Y-m-d H:i:s")
    user = PersonColumn(accessor="user", verbose_name=_("shown to"))
    file = tables.Column(verbose_name=_("tenant file"), order_by="file__number")
    permission = tables.Column(
        verbose_name=_("under permission"), accessor="access_request", orderable=False
    )

    class Meta:
        model = AccessLog
        fields = ["at", "user", "kind", "subject", "file", "permission", "page"]
        order_by = "-at"
        empty_text = _("Nobody has been shown personal data yet.")

    def render_file(self, value):
        return value.number

    def render_permission(self, value):
        return format_html('<a href="{}">#{}</a>', value.get_absolute_url(), value.pk)


class AccessRequestTable(tables.Table):
    pk = tables.Column(verbose_name="#", linkify=True)
    file = tables.Column(verbose_name=_("tenant file"), order_by="file__number")
    requested_by = PersonColumn(accessor="requested_by", verbose_name=_("requested by"))
    requested_at = DateColumn(format="Y-m-d H:i")
    status = tables.Column()
    accompanied_by = PersonColumn(accessor="accompanied_by", verbose_name=_("accompanied by"))

    class Meta:
        model = AccessRequest
        fields = [
            "pk",
            "file",
            "requested_by",
            "requested_at",
            "purpose",
            "days",
            "status",
            "starts_on",
            "ends_on",
            "accompanied_by",
        ]
        order_by = "-requested_at"
        empty_text = _("No request to read a file.")

    def render_file(self, value):
        return value.number

    def render_status(self, value, record):
        return AccessStatus(record.status).badge_html()
