"""The manager's list of departments, with their members and open cases: one query."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from complaints.models import Department
from config.people import person_name


class DepartmentTable(tables.Table):
    name = tables.Column(
        linkify=lambda record: reverse("complaints:department_update", args=[record.pk])
    )
    code = tables.Column()
    extension = tables.Column()
    members = tables.Column(verbose_name=_("members"), empty_values=(), orderable=False)
    open_cases = tables.Column(verbose_name=_("open cases"))
    active = tables.BooleanColumn()
    buttons = tables.TemplateColumn(
        template_name="complaints/departments/_buttons.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Department
        fields = ["name", "code", "extension", "members", "open_cases", "active"]
        order_by = "name"
        empty_text = _("No department yet.")

    def render_members(self, record):
        names = sorted(person_name(user) for user in record.members.all())
        return format_html_join("、", "{}", ((name,) for name in names)) or "—"

    def render_active(self, value):
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("active"))
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("inactive"))
