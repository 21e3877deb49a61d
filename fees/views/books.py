"""Paper receipt books (收据本): the list, a book's numbers, transcription, the gap report."""

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from config.actions import action, checked, form_page, refused, submit
from config.exporters import export_download
from config.history import history_entries
from fees.filters.books import BookFilter
from fees.forms import books as forms
from fees.models import ReceiptBook
from fees.selectors.books import book_gaps, book_slots, books_with_counts, open_gaps
from fees.services import books as service
from fees.tables.books import BookTable
from fees.validators import validate_paper_number

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
        return context


def _book_page(book: ReceiptBook) -> str:
    return reverse("fees:book_detail", args=[book.pk])


@permission_required(MANAGE, raise_exception=True)
def book_register(request):
    form = forms.BookRegisterForm(request.POST or None, initial={"issued_to": request.user.pk})
    return form_page(
        request,
        form,
        lambda: service.book_register(by=request.user, **form.cleaned_data),
        success=lambda book: _("Receipt book %(book)s registered.") % {"book": book},
        done=_book_page,
        title=_("Register a receipt book"),
        cancel_url=reverse("fees:book_list"),
    )


@permission_required("fees.view_receiptbook", raise_exception=True)
@require_safe
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
            "return_form": forms.ReturnForm(book=book),
            "history": history_entries(book),
        },
    )


def _refuse_used_number(request, book: ReceiptBook, number: int):
    """Back to the book, with the reason, when the number cannot be used (else None)."""
    return refused(request, lambda: validate_paper_number(book, number), _book_page(book))


@permission_required(TRANSCRIBE, raise_exception=True)
def book_transcribe(request, pk, number):
    book = get_object_or_404(ReceiptBook, pk=pk)
    form = forms.TranscribeForm(request.POST or None, book=book)
    formset = forms.TranscribeLineFormSet(request.POST or None, prefix="lines")
    if request.method == "GET" and (refusal := _refuse_used_number(request, book, number)):
        return refusal
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        done = submit(
            request,
            form,
            lambda: service.book_transcribe(
                by=request.user,
                book=book,
                number=number,
                lines=formset.lines(),
                paper_date=form.cleaned_data["paper_date"],
                **form.receipt_fields(),
            ),
            success=_transcribed,
            done=lambda _transcription: _book_page(book),
        )
        if done:
            return done
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


def _transcribed(transcription) -> str | None:
    receipt, created = transcription
    if not created:  # the same form again: the first sending was transcribed already
        return None
    return _("Paper receipt %(paper)s transcribed as receipt %(number)s.") % {
        "paper": receipt.paper_number,
        "number": receipt.number,
    }


@permission_required(MANAGE, raise_exception=True)
def book_spoil(request, pk, number):
    book = get_object_or_404(ReceiptBook, pk=pk)
    if request.method == "GET" and (refusal := _refuse_used_number(request, book, number)):
        return refusal
    form = forms.SpoilForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: service.book_spoil(
            by=request.user, book=book, number=number, reason=form.cleaned_data["reason"]
        ),
        success=lambda spoiled: (
            _("Paper receipt %(number)s recorded as spoiled.") % {"number": spoiled.paper_number}
        ),
        done=lambda _spoiled: _book_page(book),
        title=_("Record paper receipt %(number)s as spoiled")
        % {"number": book.paper_number(number)},
        cancel_url=_book_page(book),
    )


@action(MANAGE, back="fees:book_detail")
def book_return(request, pk):
    book = get_object_or_404(ReceiptBook, pk=pk)
    data = checked(forms.ReturnForm(request.POST, book=book))
    service.book_return(by=request.user, book=book, returned_on=data["returned_on"])
    return _("Receipt book %(book)s returned.") % {"book": book}


@permission_required("fees.view_receiptbook", raise_exception=True)
@require_safe
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
