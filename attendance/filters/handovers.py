"""Filter of the shift handovers: by person (outgoing or incoming), state and dates."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from attendance.models import HandoverState, ShiftHandover, Staff
from config.filters import StyledFilterSet, date_range


class HandoverFilter(StyledFilterSet):
    person = df.ModelChoiceFilter(
        label=_("member of staff"),
        queryset=Staff.objects.order_by("name", "pk"),
        method="of_person",
    )
    state = df.ChoiceFilter(label=_("state"), choices=HandoverState.choices)
    date_from, date_to = date_range("date")

    class Meta:
        model = ShiftHandover
        fields = ["person", "state", "date_from", "date_to"]

    def of_person(self, queryset, name, value):
        return queryset.filter(Q(outgoing=value) | Q(incoming=value))
