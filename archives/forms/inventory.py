"""Forms of the month-end inventory check: start a month's run, mark a line."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models import Mark
from config.forms import BootstrapMixin

MONTHS = [(month, f"{month:02d}") for month in range(1, 13)]
FOUND_CHOICES = [(m.value, m.label) for m in (Mark.PRESENT, Mark.MISSING, Mark.DAMAGED)]


class RunStartForm(BootstrapMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("year"), coerce=int, choices=())
    month = forms.TypedChoiceField(label=_("month"), coerce=int, choices=MONTHS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].choices = [(y, str(y)) for y in range(today.year, today.year - 3, -1)]
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month


class MarkForm(BootstrapMixin, forms.Form):
    mark = forms.ChoiceField(label=_("found"), choices=FOUND_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class PageMarkForm(forms.Form):
    """The unmarked lines of one page, found on the shelf: marked present together."""

    items = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any number: the service marks only the run's own unmarked lines among them.
        self.fields["items"].valid_value = lambda value: str(value).isdigit()
