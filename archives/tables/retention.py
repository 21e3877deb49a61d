"""Tables of retention and destruction: what is past its period, the destruction lists,
the holds, and the destruction register."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archives.models import (
    CentreRecord,
    DestructionItem,
    DestructionList,
    Document,
    Hold,
    ListState,
    retention_ends,
)
from config.people import PersonColumn, person_name

NUM = {"td": {"class": "num"}}


class DueDocumentTable(tables.Table):
    file = tables.Column(
        verbose_name=_("file number"),
        linkify=lambda record: record.file.get_absolute_url(),
        order_by="file__number",
    )
    type = tables.Column(order_by="type__order")
    retention_years = tables.Column(verbose_name=_("retention (years)"), attrs=NUM)
    closed_year = tables.Column(verbose_name=_("counted from the end of"), attrs=NUM)
    ended = tables.Column(verbose_name=_("retention ended on"), empty_values=(), orderable=False)

    class Meta:
        model = Document
        fields = ["file", "title", "type", "dated_on", "pages", "retention_years"]
        sequence = [*fields, "closed_year", "ended"]
        empty_text = _("No document is past its retention period.")

    def render_file(self, record):
        return record.file.number

    def render_ended(self, record):
        return retention_ends(record.closed_year, record.retention_years)


class DueRecordTable(tables.Table):
    number = tables.Column(linkify=True)
    closed_year = tables.Column(verbose_name=_("counted from the end of"), attrs=NUM)
    ended = tables.Column(verbose_name=_("retention ended on"), empty_values=(), orderable=False)

    class Meta:
        model = CentreRecord
        fields = ["number", "kind", "title", "date", "pages", "retention"]
        sequence = [*fields, "closed_year", "ended"]
        empty_text = _("No centre record is past its retention period.")

    def render_ended(self, record):
        return retention_ends(record.closed_year, record.years)


class DestructionListTable(tables.Table):
    number = tables.Column(linkify=True)
    item_count = tables.Column(verbose_name=_("lines"), attrs=NUM)
    drawn_by = PersonColumn(accessor="drawn_by", verbose_name=_("drawn up by"))
    manager_approved_by = PersonColumn(
        accessor="manager_approved_by", verbose_name=_("approved by (manager)")
    )
    reviewer_approved_by = PersonColumn(
        accessor="reviewer_approved_by", verbose_name=_("approved by (second reviewer)")
    )

    class Meta:
        model = DestructionList
        fields = [
            "number",
            "state",
            "drawn_by",
            "drawn_at",
            "review_due",
            "item_count",
            "manager_approved_by",
            "reviewer_approved_by",
            "destroyed_on",
            "witness",
        ]
        order_by = ("-drawn_at",)
        empty_text = _("No destruction list yet.")

    def render_state(self, record):
        return ListState(record.state).badge_html()


class HoldTable(tables.Table):
    held = tables.Column(verbose_name=_("held"), empty_values=(), orderable=False)
    state = tables.Column(verbose_name=_("state"), empty_values=(), order_by="lifted_at")
    lift = tables.Column(verbose_name="", empty_values=(), orderable=False)
    placed_by = PersonColumn(accessor="placed_by", verbose_name=_("placed by"))
    lifted_by = PersonColumn(accessor="lifted_by", verbose_name=_("lifted by"))

    class Meta:
        model = Hold
        fields = ["held", "reason", "note", "placed_by", "placed_at", "state", "lifted_by"]
        sequence = [*fields, "lift_note", "lift"]
        fields = [*fields, "lift_note"]
        order_by = ("-placed_at",)
        empty_text = _("No hold.")

    def render_held(self, record):
        if record.document_id:
            document = record.document
            return format_html(
                '<a href="{}">{}</a> · {}',
                document.file.get_absolute_url(),
                document.file.number,
                document.title,
            )
        return format_html(
            '<a href="{}">{}</a> · {}',
            record.record.get_absolute_url(),
            record.record.number,
            record.record.title,
        )

    def render_state(self, record):
        if record.is_active:
            return format_html('<span class="badge text-bg-danger">{}</span>', _("in force"))
        return format_html(
            '<span class="badge text-bg-secondary">{} {}</span>',
            _("lifted"),
            record.lifted_at.date(),
        )

    def render_lift(self, record):
        user = self.request.user
        if record.is_active and user.has_perm("archives.change_hold"):
            return format_html(
                '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>',
                reverse("archives:hold_lift", args=[record.pk]),
                _("Lift"),
            )
        return ""


class RegisterTable(tables.Table):
    list = tables.Column(
        verbose_name=_("list number"), linkify=lambda record: record.list.get_absolute_url()
    )
    destroyed_on = tables.Column(
        verbose_name=_("destroyed on"), accessor="list__destroyed_on", orderable=False
    )
    method = tables.Column(
        verbose_name=_("method"), accessor="list__get_method_display", orderable=False
    )
    approvers = tables.Column(verbose_name=_("approved by"), empty_values=(), orderable=False)
    witness = tables.Column(verbose_name=_("witness"), accessor="list__witness", orderable=False)

    class Meta:
        model = DestructionItem
        fields = ["list", "reference", "title", "kind", "dated_on", "retention_years"]
        sequence = [*fields, "destroyed_on", "method", "approvers", "witness"]
        orderable = False
        empty_text = _("Nothing has been destroyed.")

    def render_list(self, record):
        return record.list.number

    def render_approvers(self, record):
        made = record.list
        return f"{person_name(made.manager_approved_by)}、{person_name(made.reviewer_approved_by)}"
