import django_tables2 as tables
from django.db.models import F
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archives.models import Tenant
from config.people import PersonColumn


class VerificationTable(tables.Table):
    """Tenants due for verification, each with "verified, no change" (one click) and
    "correct and verify" for those who keep the register."""

    name = tables.Column(linkify=True)
    last_verified_on = tables.Column(default=_("never verified"))
    last_verified_by = PersonColumn(accessor="last_verified_by", verbose_name=_("verified by"))
    actions = tables.Column(verbose_name=_("verify"), empty_values=(), orderable=False)

    class Meta:
        model = Tenant
        fields = ["name", "kind", "contact_name", "last_verified_on", "last_verified_by"]
        sequence = [*fields, "actions"]
        order_by = "last_verified_on"
        empty_text = _("Every tenant's details were verified within six months.")

    def order_last_verified_on(self, queryset, is_descending):
        # Never verified first (the longest due), on SQLite and PostgreSQL alike.
        day = F("last_verified_on")
        order = day.desc(nulls_last=True) if is_descending else day.asc(nulls_first=True)
        return queryset.order_by(order, "name", "pk"), True

    def render_actions(self, record):
        request = self.request
        if not request.user.has_perm("archives.change_tenant"):
            return "—"
        return format_html(
            '<form method="post" action="{}" class="d-inline">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="due">'
            '<button class="btn btn-sm btn-outline-success" type="submit">{}</button></form> '
            '<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>',
            reverse("archives:tenant_verify", args=[record.pk]),
            get_token(request),
            _("Verified, no change"),
            reverse("archives:tenant_verify_edit", args=[record.pk]),
            _("Correct and verify"),
        )
