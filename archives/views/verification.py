"""Verification of tenants' details every six months: the tenants due (never verified, or
last verified over six months ago), "verified, no change" in one click
(archives.views.register.tenant_verify) and an edit of the details that records what
changed and marks them verified."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives import filters, services
from archives.forms.register import TenantForm
from archives.selectors import tenants_due_for_verification
from archives.tables.verification import VerificationTable
from archives.views.register import TenantUpdate
from config.lists import FilteredList


class VerificationDueList(FilteredList):
    permission_required = "archives.view_tenant"
    filterset_class = filters.TenantFilter
    table_class = VerificationTable
    title = _("Tenant details due for verification")

    def get_queryset(self):
        return tenants_due_for_verification(timezone.localdate())


class TenantVerifyForm(TenantForm):
    """The tenant's details as corrected with them; the date they were verified is today's."""

    last_verified_on = None

    class Meta(TenantForm.Meta):
        fields = [name for name in TenantForm.Meta.fields if name != "last_verified_on"]


class TenantVerifyEdit(TenantUpdate):
    form_class = TenantVerifyForm
    title = _("Correct and verify the tenant's details")

    def form_valid(self, form):
        self.object = services.tenant_verify_with_changes(
            tenant=form.save(commit=False), by=self.request.user
        )
        messages.success(
            self.request,
            _("%(tenant)s's details corrected and marked verified today.")
            % {"tenant": self.object},
        )
        return redirect(reverse("archives:verification_due"))


urls = [
    path("verification/", VerificationDueList.as_view(), name="verification_due"),
    path("tenants/<int:pk>/verify/edit/", TenantVerifyEdit.as_view(), name="tenant_verify_edit"),
]
