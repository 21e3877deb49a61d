import django_filters as df
from django import forms


class StyledFilterSet(df.FilterSet):
    """Bootstrap classes on the filter widgets, so every list's filter bar looks alike."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )
