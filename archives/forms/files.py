"""Forms of tenant files: open one, move it, file a document with its scan. The services
check the same rules under the lock; their refusals go next to these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from archives.models import DocumentType, FileKind, PaperForm, TenantFile
from config.fields import BoundedDateField, QuantityField
from config.forms import BootstrapMixin
from config.uploads import DocumentUploadField

PAGES_MESSAGE = _("Give the number of pages (%(min)s to %(max)s).")

# The retention a document may be given: its type's, or longer (the service refuses shorter).
AS_TYPE, PERMANENT = "", "permanent"
RETENTION_FORM_CHOICES = [
    (AS_TYPE, _("As its type")),
    (PERMANENT, _("Permanent")),
    ("30", _("30 years")),
    ("10", _("10 years")),
]


class FileOpenForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind of file"), choices=FileKind.choices)
    opened_on = BoundedDateField(label=_("opened on"))
    cabinet = forms.CharField(label=_("cabinet"), max_length=20)
    box = forms.CharField(label=_("box"), max_length=20, required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea, required=False)


class FileMoveForm(BootstrapMixin, forms.Form):
    cabinet = forms.CharField(label=_("cabinet"), max_length=20)
    box = forms.CharField(label=_("box"), max_length=20, required=False)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class DocumentTypeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DocumentForm(BootstrapMixin, forms.Form):
    doc_type = DocumentTypeChoice(
        label=_("document type"), queryset=DocumentType.objects.filter(active=True)
    )
    title = forms.CharField(label=_("title"), max_length=100)
    dated_on = BoundedDateField(label=_("date"))
    pages = QuantityField(
        label=_("pages"),
        max_value=9999,
        message=PAGES_MESSAGE,
        required=False,
        help_text=_("Counted from a PDF scan when left empty."),
    )
    paper = forms.ChoiceField(
        label=_("original or copy"), choices=PaperForm.choices, initial=PaperForm.ORIGINAL
    )
    cabinet = forms.CharField(
        label=_("cabinet"),
        max_length=20,
        required=False,
        help_text=_("Empty: kept in the file."),
    )
    box = forms.CharField(label=_("box"), max_length=20, required=False)
    retention_years = forms.ChoiceField(
        label=_("retention"),
        choices=RETENTION_FORM_CHOICES,
        required=False,
        help_text=_("Never shorter than its type's."),
    )
    confidential = forms.BooleanField(
        label=_("confidential"),
        required=False,
        help_text=_("Always, for a type kept confidential (ID copies)."),
    )
    remarks = forms.CharField(label=_("remarks"), max_length=200, required=False)
    scan = DocumentUploadField(label=_("scan (PDF or image)"), required=False)

    def __init__(self, *args, tenant_file: TenantFile, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant_file = tenant_file

    def retention(self) -> dict:
        """The service's retention arguments for the choice made."""
        value = self.cleaned_data.get("retention_years") or AS_TYPE
        if value == PERMANENT:
            return {"permanent": True}
        return {"retention_years": int(value) if value else None}
