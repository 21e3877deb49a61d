"""Paper receipt books (收据本): registering, transcribing, spoiling, returning, the gap report.

A paper receipt's money reaches the desk on the day it is transcribed: the transcription
issues an ordinary system receipt (counted in that day's close) and marks it with the
paper number, so every paper number ends up either transcribed, spoiled, or in the gap
report.
"""

import re
import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import Unit
from config.history import set_reason
from config.people import person_name
from config.permissions import require
from config.states import locked, save_change
from fees.models import Receipt, ReceiptBook, SpoiledPaperReceipt
from fees.services.numbering import next_number
from fees.services.receipts import LineInput, PaperOrigin, Payer, receipt_issue
from fees.validators import refuse_if_month_locked, validate_paper_number

MAX_BOOK_SIZE = 500
# Paper numbers are the series plus seven digits: a longer number would make two books'
# numbers collide (series "1" + 0000123 and series "" + 10000123).
MAX_PAPER_NUMBER = 9_999_999
SERIES_PATTERN = re.compile(r"^[A-Z0-9]{0,8}$")
NOTE_MAX_LENGTH = 200


@transaction.atomic
def book_register(
    *,
    by,
    series: str,
    first_number: int,
    last_number: int,
    issued_to,
    issued_on: date,
    notes: str = "",
) -> ReceiptBook:
    """Register a paper book whose numbers overlap no other book of its series."""
    require(by, "fees.manage_receipt_book")
    series = series.strip().upper()
    if not SERIES_PATTERN.match(series):
        raise ValidationError(_("The series is at most 8 letters or digits."))
    if first_number < 1 or last_number > MAX_PAPER_NUMBER:
        raise ValidationError(_("Paper receipt numbers run from 1 to 9999999."))
    if last_number < first_number:
        raise ValidationError(_("The last number must not be below the first number."))
    if last_number - first_number + 1 > MAX_BOOK_SIZE:
        raise ValidationError(
            _("A book holds at most %(max)d numbers; register a larger stock as several books.")
            % {"max": MAX_BOOK_SIZE}
        )
    if not issued_to.has_perm("fees.issue_receipt"):
        raise ValidationError(
            _("%(user)s cannot issue receipts, so cannot be given a receipt book.")
            % {"user": person_name(issued_to)}
        )
    if issued_on > timezone.localdate():
        raise ValidationError(_("The issue date cannot be in the future."))
    # Taking a number of this series serialises registrations, so two desks cannot both
    # pass the overlap check below with overlapping ranges.
    next_number("receipt-book-register")
    clash = ReceiptBook.objects.filter(
        series=series, first_number__lte=last_number, last_number__gte=first_number
    ).first()
    if clash is not None:
        raise ValidationError(
            _("The numbers overlap book %(book)s, registered already.") % {"book": clash}
        )
    book = ReceiptBook(
        series=series,
        first_number=first_number,
        last_number=last_number,
        issued_to=issued_to,
        issued_on=issued_on,
        notes=notes.strip(),
    )
    set_reason(book, gettext_noop("registered"))
    book.save()
    return book


@transaction.atomic
def book_transcribe(
    *,
    by,
    book: ReceiptBook,
    number: int,
    payer: Payer,
    lines: list[LineInput],
    method: str,
    reference: str = "",
    unit: Unit | None = None,
    note: str = "",
    request_key: uuid.UUID | None = None,
    paper_date: date,
) -> tuple[Receipt, bool]:
    """Issue today's system receipt for one paper receipt and mark it with the paper number;
    (receipt, False) when this form was submitted already."""
    require(by, "fees.manage_receipt_book")
    require(by, "fees.issue_receipt")
    # The book's lock makes a second transcription of the same number wait, then see it.
    book = locked(book)
    if request_key is not None:
        existing = Receipt.objects.filter(request_key=request_key).first()
        if existing is not None:
            return existing, False
    paper_number = validate_paper_number(book, number)
    if paper_date > timezone.localdate():
        raise ValidationError(_("The paper receipt's date cannot be in the future."))
    if paper_date < book.issued_on:
        raise ValidationError(
            _("The paper receipt's date is before the book was issued (%(date)s).")
            % {"date": book.issued_on}
        )
    # Money taken on a day of a locked month belongs to figures that are frozen for good.
    refuse_if_month_locked(paper_date)
    full_note = _("Paper receipt %(number)s, written on %(date)s") % {
        "number": paper_number,
        "date": paper_date.isoformat(),
    }
    if note.strip():
        full_note += "; " + note.strip()
    if len(full_note) > NOTE_MAX_LENGTH:
        raise ValidationError(_("The note is too long."))
    # The paper number is written with the receipt's row (and hashed with it): an issued
    # receipt is never updated afterwards.
    return receipt_issue(
        by=by,
        payer=payer,
        lines=lines,
        method=method,
        reference=reference,
        unit=unit,
        note=full_note,
        request_key=request_key,
        paper=PaperOrigin(book=book, paper_number=paper_number),
    )


@transaction.atomic
def book_spoil(*, by, book: ReceiptBook, number: int, reason: str) -> SpoiledPaperReceipt:
    """Record an unused paper number as spoiled (written wrong, torn, lost)."""
    require(by, "fees.manage_receipt_book")
    book = locked(book)
    paper_number = validate_paper_number(book, number)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the paper receipt is spoiled."))
    if len(reason) > 200:
        raise ValidationError(_("The reason is at most 200 characters."))
    return SpoiledPaperReceipt.objects.create(
        book=book, paper_number=paper_number, reason=reason, recorded_by=by
    )


@transaction.atomic
def book_return(*, by, book: ReceiptBook, returned_on: date) -> ReceiptBook:
    """Record that the clerk gave the book back; its unused numbers stay in the gap report."""
    require(by, "fees.manage_receipt_book")
    book = locked(book)
    if book.returned_on is not None:
        raise ValidationError(
            _("This book was returned on %(date)s already.") % {"date": book.returned_on}
        )
    if returned_on > timezone.localdate():
        raise ValidationError(_("The return date cannot be in the future."))
    if returned_on < book.issued_on:
        raise ValidationError(_("The return date cannot be before the issue date."))
    book.returned_on = returned_on
    return save_change(book, gettext_noop("book returned"))
