import django_filters as df
from django import forms
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


def date_range(field_name: str) -> tuple[df.DateFilter, df.DateFilter]:
    """The "from" and "to" filters of a list by a date (``at__date`` for a time), each a
    date picker, both ends included."""
    return tuple(
        df.DateFilter(
            label=label,
            field_name=field_name,
            lookup_expr=lookup,
            widget=df.widgets.forms.DateInput(attrs={"type": "date"}),
        )
        for label, lookup in ((_("from"), "gte"), (_("to"), "lte"))
    )
