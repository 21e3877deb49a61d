"""Forms of the centre's own records: register one, open or change a volume, file a
record, send a notice to units and record a unit's signature."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models import RecordKind, Retention, Unit, Volume
from archives.selectors.records import occupied_units, open_volumes, units_of_block
from config.fields import BoundedDateField, QuantityField
from config.forms import BootstrapMixin
from config.uploads import DocumentUploadField

# A letter or report is registered within ten years of its date (older papers are filed
# with the year they belong to, by the same form).
DAYS_BACK = 3660


class VolumeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, volume):
        return f"{volume.code} {volume.title}"


def _volume_field(required: bool) -> VolumeChoiceField:
    return VolumeChoiceField(
        label=_("volume"),
        queryset=open_volumes().order_by("-year", "number"),
        required=required,
        help_text=_("An open volume of the record's year."),
    )


class RecordForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=RecordKind.choices)
    date = BoundedDateField(label=_("date"), days_back=DAYS_BACK)
    title = forms.CharField(label=_("title"), max_length=200)
    correspondent = forms.CharField(
        label=_("from / to"),
        max_length=100,
        required=False,
        help_text=_("Who sent a letter in, or whom a letter or report goes to."),
    )
    summary = forms.CharField(
        label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    pages = QuantityField(label=_("pages"), min_value=1, max_value=9999, initial=1)
    handled_by = forms.CharField(label=_("handled by"), max_length=50, required=False)
    retention = forms.ChoiceField(
        label=_("retention"),
        choices=[("", _("By kind (notice 10 years, letter 30, report permanent)"))]
        + list(Retention.choices),
        required=False,
    )
    volume = _volume_field(required=False)
    scan = DocumentUploadField(
        label=_("scan"), required=False, help_text=_("Optional: a PDF, or a JPEG or PNG image.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volume"].queryset = open_volumes().order_by("-year", "number")
        self.fields["date"].initial = timezone.localdate()


class VolumeForm(BootstrapMixin, forms.Form):
    year = QuantityField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200)
    retention = forms.ChoiceField(label=_("retention"), choices=Retention.choices)
    cabinet = forms.CharField(label=_("cabinet"), max_length=30, required=False)
    box = forms.CharField(label=_("box"), max_length=30, required=False)

    def __init__(self, *args, volume: Volume | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if volume is not None:
            # A volume keeps its year and number; its title, retention and place change.
            del self.fields["year"]
        else:
            self.fields["year"].initial = timezone.localdate().year
            self.fields["retention"].initial = Retention.YEARS_30


class FileForm(BootstrapMixin, forms.Form):
    volume = _volume_field(required=True)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        # The open volumes of the record's year are offered; the service refuses another.
        self.fields["volume"].queryset = open_volumes(year).order_by("number")


class Scope:
    OCCUPIED = "occupied"
    BLOCK = "block"
    PICKED = "picked"


class SendForm(BootstrapMixin, forms.Form):
    """To whom a notice goes: every occupied unit, the occupied units of a block, or the
    units picked."""

    scope = forms.ChoiceField(
        label=_("send to"),
        choices=[
            (Scope.OCCUPIED, _("Every occupied unit")),
            (Scope.BLOCK, _("The occupied units of a block")),
            (Scope.PICKED, _("The units picked")),
        ],
        initial=Scope.OCCUPIED,
        widget=forms.RadioSelect,
    )
    block = forms.CharField(label=_("block"), max_length=2, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("units"),
        queryset=Unit.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == Scope.BLOCK:
            block = (data.get("block") or "").strip().upper()
            if not block:
                self.add_error("block", _("Name the block, e.g. A."))
            elif not units_of_block(block).exists():
                message = _("Block %(block)s has no occupied unit.") % {"block": block}
                self.add_error("block", message)
        elif scope == Scope.PICKED and not data.get("units"):
            self.add_error("units", _("Pick at least one unit."))
        return data

    def chosen_units(self):
        data = self.cleaned_data
        if data["scope"] == Scope.BLOCK:
            return units_of_block(data["block"])
        if data["scope"] == Scope.PICKED:
            return data["units"]
        return occupied_units()


class SignForm(BootstrapMixin, forms.Form):
    signed_by = forms.CharField(label=_("signed by"), max_length=50)
    signed_on = BoundedDateField(label=_("signed on"), days_back=DAYS_BACK)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
