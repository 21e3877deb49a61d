from datetime import datetime, time, timedelta

import django_filters as df
from django import forms
from django.core.validators import EMPTY_VALUES
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StyledFilterSet(df.FilterSet):
    """Bootstrap classes on the filter widgets, so every list's filter bar looks alike."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )


def _day_starts(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class DayOfTimeFilter(df.DateFilter):
    """A date bound of a time field (``lookup_expr`` gte or lte, the day included), compared
    with the local day's start rather than through the time's date: the same rows, and an
    index on the time serves (a date taken of each row's time reads every row)."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        if self.lookup_expr == "gte":
            return qs.filter(**{f"{self.field_name}__gte": _day_starts(value)})
        return qs.filter(**{f"{self.field_name}__lt": _day_starts(value + timedelta(days=1))})


def date_range(field_name: str) -> tuple[df.DateFilter, df.DateFilter]:
    """The "from" and "to" filters of a list by a date (``at__date`` for a time), each a
    date picker, both ends included."""
    of_time = field_name.endswith("__date")
    kind = DayOfTimeFilter if of_time else df.DateFilter
    return tuple(
        kind(
            label=label,
            field_name=field_name.removesuffix("__date") if of_time else field_name,
            lookup_expr=lookup,
            widget=df.widgets.forms.DateInput(attrs={"type": "date"}),
        )
        for label, lookup in ((_("from"), "gte"), (_("to"), "lte"))
    )
