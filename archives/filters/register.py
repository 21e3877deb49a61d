from datetime import timedelta

import django_filters as df
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models import (
    Contractor,
    Occupancy,
    OccupancyRole,
    Tenant,
    TenantKind,
    Unit,
    UnitStatus,
)
from archives.selectors.register import tenant_matches
from config.filters import StyledFilterSet
from config.privacy import MOBILE, may_see_whole
from config.search import StartsWithFilter, any_starts_with

YES_NO = (("yes", _("Yes")), ("no", _("No")))


def by_mobile(request) -> bool:
    # Finding a record by a number one may not read would tell whose number it is.
    return request is not None and may_see_whole(request.user, MOBILE)


class UnitFilter(StyledFilterSet):
    code = StartsWithFilter(label=_("unit code"), fields=["code"], upper=True)
    block = df.CharFilter(label=_("block"), lookup_expr="iexact")
    floor = df.NumberFilter(label=_("floor"))
    status = df.ChoiceFilter(label=_("status"), choices=UnitStatus.choices)

    class Meta:
        model = Unit
        fields = ["code", "block", "floor", "status"]


class TenantFilter(StyledFilterSet):
    q = df.CharFilter(
        label=_("name, contact or mobile"), method="filter_q", help_text=_("Matches the start.")
    )
    kind = df.ChoiceFilter(label=_("kind"), choices=TenantKind.choices)
    verification = df.ChoiceFilter(
        label=_("verification"),
        choices=(("due", _("Verification due")), ("ok", _("Verified within six months"))),
        method="filter_verification",
    )

    class Meta:
        model = Tenant
        fields = ["q", "kind", "verification"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not by_mobile(self.request):
            self.form.fields["q"].label = _("name or contact")

    def filter_q(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(tenant_matches(text, by_mobile=by_mobile(self.request)))

    def filter_verification(self, queryset, name, value):
        cutoff = timezone.localdate() - timedelta(days=settings.TENANT_VERIFY_EVERY_DAYS)
        due = Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff)
        return queryset.filter(due) if value == "due" else queryset.exclude(due)


class OccupancyFilter(StyledFilterSet):
    unit = StartsWithFilter(label=_("unit code"), fields=["unit__code"], upper=True)
    tenant = StartsWithFilter(label=_("tenant"), fields=["tenant__name"])
    role = df.ChoiceFilter(label=_("role"), choices=OccupancyRole.choices)
    current = df.ChoiceFilter(label=_("current"), choices=YES_NO, method="filter_current")

    class Meta:
        model = Occupancy
        fields = ["unit", "tenant", "role", "current"]

    def filter_current(self, queryset, name, value):
        return queryset.filter(handed_over_on__isnull=(value == "yes"))


class ContractorFilter(StyledFilterSet):
    q = df.CharFilter(
        label=_("name, contact or mobile"), method="filter_q", help_text=_("Matches the start.")
    )
    active = df.BooleanFilter(label=_("active"))

    class Meta:
        model = Contractor
        fields = ["q", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not by_mobile(self.request):
            self.form.fields["q"].label = _("name, contact or credit code")

    def filter_q(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        fields = ["name", "contact_name"] + (["phone"] if by_mobile(self.request) else [])
        return queryset.filter(
            any_starts_with(fields, text) | any_starts_with(["credit_code"], text.upper())
        )
