"""The manager's two-level list of case categories, with their cases: one query."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from complaints.models import Category


class CategoryTable(tables.Table):
    name = tables.Column(
        verbose_name=_("category"),
        empty_values=(),
        order_by=("family", "level", "name"),
        linkify=lambda record: reverse("complaints:category_update", args=[record.pk]),
    )
    cases_count = tables.Column(verbose_name=_("cases"))
    active = tables.BooleanColumn()
    buttons = tables.TemplateColumn(
        template_name="complaints/categories/_buttons.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Category
        fields = ["name", "cases_count", "active"]
        order_by = "name"
        empty_text = _("No category yet.")

    def render_name(self, record):
        return str(record)

    def render_active(self, value):
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("active"))
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("inactive"))
