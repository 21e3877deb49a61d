"""Filters of the register of the centre's records and of the volumes."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archives.models import CentreRecord, RecordKind, Volume
from archives.selectors.records import record_years
from config.filters import StyledFilterSet

OPEN_CLOSED = (("open", _("Open")), ("closed", _("Closed")))


def _years():
    return [(year, str(year)) for year in record_years()]


class RecordFilter(StyledFilterSet):
    kind = df.ChoiceFilter(label=_("kind"), choices=RecordKind.choices)
    year = df.TypedChoiceFilter(label=_("year"), choices=_years, coerce=int)
    volume = df.ModelChoiceFilter(
        label=_("volume"), queryset=Volume.objects.order_by("-year", "number")
    )
    q = df.CharFilter(label=_("number, title, from / to or summary"), method="filter_q")

    class Meta:
        model = CentreRecord
        fields = ["kind", "year", "volume", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(correspondent__icontains=value)
            | Q(summary__icontains=value)
        )


class VolumeFilter(StyledFilterSet):
    year = df.TypedChoiceFilter(label=_("year"), choices=_years, coerce=int)
    state = df.ChoiceFilter(label=_("state"), choices=OPEN_CLOSED, method="filter_state")
    q = df.CharFilter(label=_("title or location"), method="filter_q")

    class Meta:
        model = Volume
        fields = ["year", "state", "q"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(closed_on__isnull=(value == "open"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(title__icontains=value) | Q(cabinet__icontains=value) | Q(box__icontains=value)
        )
