"""Tables of the register of the centre's records and of the volumes."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from archives.models import CentreRecord, RecordKind, Volume


class RecordTable(tables.Table):
    number = tables.Column(linkify=True, order_by=("year", "kind", "sequence"))
    volume = tables.Column(
        linkify=lambda record: record.volume.get_absolute_url() if record.volume_id else None,
        order_by=("volume__year", "volume__number"),
    )
    delivery = tables.Column(verbose_name=_("signed for"), empty_values=(), orderable=False)

    class Meta:
        model = CentreRecord
        fields = ["number", "kind", "date", "title", "correspondent", "pages", "volume"]
        order_by = ("-date", "-number")
        empty_text = _("No record matches.")

    def render_volume(self, record):
        return record.volume.code

    def render_delivery(self, record):
        # The view counts a notice's deliveries (archives.selectors.records.records_listed).
        if record.kind != RecordKind.NOTICE:
            return "—"
        if not record.delivered:
            return _("not sent")
        css = "success" if record.signed == record.delivered else "warning"
        return format_html(
            '<span class="badge text-bg-{}">{} / {}</span>', css, record.signed, record.delivered
        )


class VolumeTable(tables.Table):
    code = tables.Column(
        verbose_name=_("volume"), linkify=True, order_by=("year", "number"), accessor="number"
    )
    record_count = tables.Column(verbose_name=_("records"), attrs={"td": {"class": "num"}})
    page_count = tables.Column(verbose_name=_("pages"), attrs={"td": {"class": "num"}})
    location = tables.Column(verbose_name=_("location"), empty_values=(), orderable=False)
    state = tables.Column(verbose_name=_("state"), empty_values=(), order_by="closed_on")

    class Meta:
        model = Volume
        fields = ["code", "year", "title", "retention", "location", "record_count", "page_count"]
        order_by = ("-year", "code")
        empty_text = _("No volume matches.")

    def render_code(self, record):
        return record.code

    def render_page_count(self, value):
        return value or 0

    def render_location(self, record):
        return record.location or "—"

    def render_state(self, record):
        if record.is_closed:
            return format_html(
                '<span class="badge text-bg-secondary">{} {}</span>',
                pgettext("volume", "closed"),
                record.closed_on,
            )
        return format_html(
            '<span class="badge text-bg-success">{}</span>', pgettext("volume", "open")
        )
