"""Filter of the work diary: by person, shift and dates."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from attendance.models import Shift, Staff, WorkDiary
from config.filters import StyledFilterSet, date_range


class DiaryFilter(StyledFilterSet):
    staff = df.ModelChoiceFilter(
        label=_("member of staff"), queryset=Staff.objects.order_by("name", "pk")
    )
    shift = df.ModelChoiceFilter(label=_("shift"), queryset=Shift.objects.order_by("starts_at"))
    date_from, date_to = date_range("date")

    class Meta:
        model = WorkDiary
        fields = ["staff", "shift", "date_from", "date_to"]
