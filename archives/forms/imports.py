"""The day-one import's forms: the upload checked (a dry run) and its confirmation."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from archives.services.imports import MAX_BYTES, read_dataset


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Interpolated per request, in the reader's language.
        self.fields["file"].help_text = _(
            "The import template filled in, at most %(max)s. It is checked first."
        ) % {"max": filesizeformat(MAX_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(
                _("Only an Excel workbook (.xlsx) is accepted: download the template."),
                code="suffix",
            )
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)s; at most %(max)s is accepted."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "max": filesizeformat(MAX_BYTES)},
            )
        upload.seek(0)
        self.content = upload.read()
        read_dataset(self.content)  # not an Excel file, no headers, too many rows: said here
        return upload


class ImportConfirmForm(forms.Form):
    """Names the checked file by its SHA-256, which the service compares with the bytes it
    kept: the file itself never travels back from the browser."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
