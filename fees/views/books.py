"""Paper receipt books (收据本): the list, a book's numbers, transcription, the gap report."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from config.exporters import export_download
from config.history import history_entries
from fees.filters.books import BookFilter
from fees.forms import books as forms
from fees.models import Receipt, ReceiptBook, SpoiledPaperReceipt
from fees.selectors.books import book_gaps, book_slots, books_with_counts, open_gaps
from fees.services import books as service
from fees.tables.books import BookTable

MANAGE = "fees.manage_receipt_book"
TRANSCRIBE = (MANAGE, "fees.issue_receipt")


class BookList(PermissionRequiredMixin, SingleTableMixin, FilterView):
    permission_required = "fees.view_receiptbook"
    raise_exception = True
    template_name = "fees/books/list.html"
    filterset_class = BookFilter
    table_class = BookTable
    # The table paginates; FilterView must not paginate (and count) the rows a second time.
    paginate_by = None
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return books_with_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = gettext_lazy("Receipt books")
        context["can_manage"] = self.request.user.has_perm(MANAGE)
        return context


@permission_required(MANAGE, raise_exception=True)
def book_register(request):
    form = forms.BookRegisterForm(request.POST or None, initial={"issued_to": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            book = service.book_register(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Receipt book %(book)s registered.") % {"book": book})
            return redirect("fees:book_detail", pk=book.pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Register a receipt book"),
            "cancel_url": reverse("fees:book_list"),
        },
    )


@permission_required("fees.view_receiptbook", raise_exception=True)
def book_detail(request, pk):
    book = get_object_or_404(ReceiptBook.objects.select_related("issued_to"), pk=pk)
    slots = book_slots(book)
    return render(
        request,
        "fees/books/detail.html",
        {
            "book": book,
            "slots": slots,
            "gaps": book_gaps(book)[0],
            "can_manage": request.user.has_perm(MANAGE),
            "can_transcribe": request.user.has_perms(TRANSCRIBE),
            "return_form": forms.ReturnForm(book=book),
            "history": history_entries(book),
        },
    )


def _unused_or_redirect(request, book: ReceiptBook, number: int):
    """The paper number, or a redirect back to the book when it cannot be used."""
    paper_number = book.paper_number(number)
    if not book.first_number <= number <= book.last_number:
        messages.error(request, _("Number %(number)s is not in this book.") % {"number": number})
        return None
    if (
        Receipt.objects.filter(paper_number=paper_number).exists()
        or SpoiledPaperReceipt.objects.filter(paper_number=paper_number).exists()
    ):
        messages.error(
            request,
            _("Paper receipt %(number)s is accounted for already.") % {"number": paper_number},
        )
        return None
    return paper_number


@permission_required(TRANSCRIBE, raise_exception=True)
def book_transcribe(request, pk, number):
    book = get_object_or_404(ReceiptBook, pk=pk)
    form = forms.TranscribeForm(request.POST or None, book=book)
    formset = forms.TranscribeLineFormSet(request.POST or None, prefix="lines")
    if request.method == "GET" and _unused_or_redirect(request, book, number) is None:
        return redirect("fees:book_detail", pk=book.pk)
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        data = form.cleaned_data
        try:
            receipt, created = service.book_transcribe(
                by=request.user,
                book=book,
                number=number,
                payer=form.payer(),
                lines=formset.lines(),
                method=data["method"],
                reference=data["reference"],
                unit=data["unit_code"],
                note=data["note"],
                request_key=data["request_key"],
                paper_date=data["paper_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("Paper receipt %(paper)s transcribed as receipt %(number)s.")
                    % {"paper": receipt.paper_number, "number": receipt.number},
                )
            return redirect("fees:book_detail", pk=book.pk)
    return render(
        request,
        "fees/books/transcribe.html",
        {
            "book": book,
            "paper_number": book.paper_number(number),
            "number": number,
            "form": form,
            "formset": formset,
            "title": _("Transcribe paper receipt %(number)s")
            % {"number": book.paper_number(number)},
        },
    )


@permission_required(MANAGE, raise_exception=True)
def book_spoil(request, pk, number):
    book = get_object_or_404(ReceiptBook, pk=pk)
    if request.method == "GET" and _unused_or_redirect(request, book, number) is None:
        return redirect("fees:book_detail", pk=book.pk)
    form = forms.SpoilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            spoiled = service.book_spoil(
                by=request.user, book=book, number=number, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Paper receipt %(number)s recorded as spoiled.")
                % {"number": spoiled.paper_number},
            )
            return redirect("fees:book_detail", pk=book.pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("Record paper receipt %(number)s as spoiled")
            % {"number": book.paper_number(number)},
            "cancel_url": reverse("fees:book_detail", args=[book.pk]),
        },
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def book_return(request, pk):
    book = get_object_or_404(ReceiptBook, pk=pk)
    form = forms.ReturnForm(request.POST, book=book)
    if not form.is_valid():
        field = form.fields["returned_on"]
        messages.error(request, f"{field.label}: {' '.join(form.errors['returned_on'])}")
        return redirect("fees:book_detail", pk=book.pk)
    try:
        service.book_return(
            by=request.user, book=book, returned_on=form.cleaned_data["returned_on"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Receipt book %(book)s returned.") % {"book": book})
    return redirect("fees:book_detail", pk=book.pk)


@permission_required("fees.view_receiptbook", raise_exception=True)
def book_gap_report(request):
    return render(
        request,
        "fees/books/gaps.html",
        {"report": open_gaps(), "title": _("Receipt book gap report")},
    )


urls = [
    path("books/", BookList.as_view(), name="book_list"),
    path("books/new/", book_register, name="book_register"),
    path("books/gaps/", book_gap_report, name="book_gaps"),
    path("books/gaps/xlsx/", export_download, {"name": "book_gaps_xlsx"}, name="book_gaps_xlsx"),
    path("books/<int:pk>/", book_detail, name="book_detail"),
    path("books/<int:pk>/return/", book_return, name="book_return"),
    path("books/<int:pk>/<int:number>/transcribe/", book_transcribe, name="book_transcribe"),
    path("books/<int:pk>/<int:number>/spoil/", book_spoil, name="book_spoil"),
]
