"""Forms of access to tenant files (查阅登记): the request, its approval naming who
accompanies the reader, its refusal with the reason; and the access log's Excel period."""

from django import forms
from django.utils.translation import gettext_lazy as _

from archives.models import MAX_ACCESS_DAYS, TenantFile
from config.fields import QuantityField
from config.forms import BootstrapMixin
from config.people import PersonChoiceField, holders_of

CENTRE_STAFF = "archives.view_tenantfile"


class AccessRequestForm(BootstrapMixin, forms.Form):
    file_number = forms.CharField(
        label=_("file number"),
        max_length=20,
        help_text=_("The file's number (档号), e.g. DA-2026-0001."),
    )
    purpose = forms.CharField(label=_("purpose"), max_length=200, widget=forms.Textarea)
    days = QuantityField(
        label=_("for how many days"), min_value=1, max_value=MAX_ACCESS_DAYS, initial=1
    )

    def clean_file_number(self):
        number = self.cleaned_data["file_number"].strip().upper()
        found = TenantFile.objects.filter(number=number).first()
        if found is None:
            raise forms.ValidationError(
                _("There is no tenant file %(number)s."), params={"number": number}
            )
        return found


class AccessApproveForm(BootstrapMixin, forms.Form):
    accompanied_by = PersonChoiceField(
        label=_("accompanied by"),
        queryset=holders_of(CENTRE_STAFF, active_only=True),
        help_text=_("The member of the centre's staff who stays with the reader."),
    )


class AccessRefuseForm(BootstrapMixin, forms.Form):
    refusal = forms.CharField(label=_("reason for the refusal"), max_length=200)
