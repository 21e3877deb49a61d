"""Loans (借阅): lending a document of a tenant file or a centre record (a form of the
item), the loans' list, the overdue ones, the open loans of a person leaving the centre,
a loan's page and its return with the item's condition."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from archives import selectors, services
from archives.filters import LoanFilter
from archives.forms.loans import LeavingForm, LoanForm, LoanReturnForm
from archives.models import CentreRecord, Document, Loan
from archives.tables import LoanTable
from archives.views.actions import form_page, submit
from config.history import history_entries
from config.lists import FilteredList

VIEW = "archives.view_loan"
LEND = "archives.add_loan"
RECEIVE = "archives.change_loan"


class LoanList(FilteredList):
    permission_required = VIEW
    filterset_class = LoanFilter
    table_class = LoanTable
    title = gettext_lazy("Loans")
    template_name = "archives/loans/list.html"

    def get_queryset(self):
        return selectors.loans_listed()


class OverdueLoanList(FilteredList):
    permission_required = VIEW
    filterset_class = LoanFilter
    table_class = LoanTable
    title = gettext_lazy("Overdue loans")
    template_name = "archives/loans/list.html"

    def get_queryset(self):
        return selectors.overdue_loans(timezone.localdate())

    def get_table_kwargs(self):
        return {"order_by": "due_on"}


def _lend(request, item, *, cancel_url: str):
    """The form lending ``item``; a view-only item says so above the form (the service
    refuses it whatever is posted)."""
    form = LoanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            request,
            form,
            lambda: services.loan_lend(
                by=request.user,
                item=item,
                borrower=data["borrower"],
                due_on=data["due_on"],
                purpose=data["purpose"],
            ),
            success=lambda loan: (
                _("%(item)s is lent to %(borrower)s until %(due)s.")
                % {"item": loan.item_label, "borrower": data["borrower"], "due": loan.due_on}
            ),
            done=lambda loan: loan,
        )
        if done:
            return done
    # Not form_page: what the page says about the item is read only when it is shown.
    return render(
        request,
        "archives/loans/lend.html",
        {
            "form": form,
            "title": _("Lend %(item)s") % {"item": item},
            "cancel_url": cancel_url,
            "refusal": services.lendable_refusal(item),
            "open_loan": selectors.open_loan_of(item),
        },
    )


@permission_required(LEND, raise_exception=True)
def document_lend(request, pk):
    document = get_object_or_404(Document.objects.select_related("file", "type"), pk=pk)
    return _lend(request, document, cancel_url=document.file.get_absolute_url())


@permission_required(LEND, raise_exception=True)
def record_lend(request, pk):
    record = get_object_or_404(CentreRecord, pk=pk)
    return _lend(request, record, cancel_url=record.get_absolute_url())


def _loan(pk) -> Loan:
    return get_object_or_404(selectors.loans_listed(), pk=pk)


@permission_required(VIEW, raise_exception=True)
@require_safe
def loan_detail(request, pk):
    loan = _loan(pk)
    return render(
        request,
        "archives/loans/detail.html",
        {
            "record": loan,
            "overdue": loan.is_overdue_on(timezone.localdate()),
            "history": history_entries(loan),
        },
    )


@permission_required(RECEIVE, raise_exception=True)
def loan_return(request, pk):
    loan = _loan(pk)
    return form_page(
        request,
        LoanReturnForm(request.POST or None),
        lambda data: services.loan_return(
            by=request.user, loan=loan, condition=data["condition"], note=data["condition_note"]
        ),
        success=lambda returned: (
            _("%(item)s is back (%(condition)s).")
            % {"item": returned.item_label, "condition": returned.get_condition_display()}
        ),
        done=lambda returned: returned,
        title=_("Receive %(item)s back") % {"item": loan.item_label},
        cancel_url=loan.get_absolute_url(),
    )


@permission_required(VIEW, raise_exception=True)
@require_safe
def loans_leaving(request):
    """The open loans of a person leaving the centre: everything to be returned first."""
    form = LeavingForm(request.GET or None)
    person = form.cleaned_data["person"] if form.is_valid() else None
    loans = list(selectors.open_loans_of(person)) if person is not None else []
    return render(
        request,
        "archives/loans/leaving.html",
        {
            "title": _("Open loans of a person leaving"),
            "form": form,
            "person": person,
            "loans": loans,
            "today": timezone.localdate(),
            "list_url": reverse("archives:loan_list"),
        },
    )


urls = [
    path("loans/", LoanList.as_view(), name="loan_list"),
    path("loans/overdue/", OverdueLoanList.as_view(), name="loan_overdue"),
    path("loans/leaving/", loans_leaving, name="loans_leaving"),
    path("loans/<int:pk>/", loan_detail, name="loan_detail"),
    path("loans/<int:pk>/return/", loan_return, name="loan_return"),
    path("files/documents/<int:pk>/lend/", document_lend, name="document_lend"),
    path("records/<int:pk>/lend/", record_lend, name="record_lend"),
]
