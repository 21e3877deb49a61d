"""Reads about paper receipt books: counts, gaps and each number's fate."""

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from fees.enums import ReceiptStatus
from fees.models import Receipt, ReceiptBook, SpoiledPaperReceipt


def _count_of(model) -> Subquery:
    rows = model.objects.filter(book=OuterRef("pk")).order_by().values("book")
    return Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField())


def books_with_counts() -> QuerySet[ReceiptBook]:
    """Every book with used_count, spoiled_count and unaccounted_count, in one query."""
    return (
        ReceiptBook.objects.select_related("issued_to")
        .annotate(
            used_count=Coalesce(_count_of(Receipt), Value(0)),
            spoiled_count=Coalesce(_count_of(SpoiledPaperReceipt), Value(0)),
        )
        .annotate(
            unaccounted_count=(
                F("last_number")
                - F("first_number")
                + Value(1)
                - F("used_count")
                - F("spoiled_count")
            )
        )
    )


def books_with_unaccounted() -> QuerySet[ReceiptBook]:
    """Books with paper numbers neither transcribed nor spoiled (a home panel's list)."""
    return books_with_counts().filter(unaccounted_count__gt=0).order_by("issued_on", "series")


@dataclass
class BookGaps:
    """One book's accounting: how many numbers were used and spoiled, and the gaps."""

    book: ReceiptBook
    used: int
    spoiled: int
    gaps: list[tuple[int, int]]  # inclusive ranges of unaccounted numbers

    @property
    def size(self) -> int:
        return self.book.last_number - self.book.first_number + 1

    @property
    def unaccounted(self) -> int:
        return sum(last - first + 1 for first, last in self.gaps)

    @property
    def ranges_text(self) -> str:
        """E.g. "0000101–0000150, 0000153"."""
        paper = self.book.paper_number
        return ", ".join(
            paper(first) if first == last else f"{paper(first)}–{paper(last)}"
            for first, last in self.gaps
        )


def _number_of(book: ReceiptBook, paper_number: str) -> int:
    return int(paper_number[len(book.series) :])


def _gaps(first: int, last: int, accounted: list[int]) -> list[tuple[int, int]]:
    """The ranges of first..last missing from accounted; linear in the accounted numbers."""
    gaps, cursor = [], first
    for number in sorted(accounted):
        if number > cursor:
            gaps.append((cursor, number - 1))
        cursor = max(cursor, number + 1)
    if cursor <= last:
        gaps.append((cursor, last))
    return gaps


def book_gaps(book: ReceiptBook | None = None) -> list[BookGaps]:
    """The gap report for one book or all of them, in three queries whatever their number."""
    books = ReceiptBook.objects.select_related("issued_to")
    if book is not None:
        books = books.filter(pk=book.pk)
    books = list(books)
    used: dict[int, list[str]] = {}
    spoiled: dict[int, list[str]] = {}
    book_ids = [b.pk for b in books]
    for target, model in ((used, Receipt), (spoiled, SpoiledPaperReceipt)):
        rows = model.objects.filter(book_id__in=book_ids).values_list("book_id", "paper_number")
        for book_id, paper_number in rows:
            target.setdefault(book_id, []).append(paper_number)
    report = []
    for b in books:
        numbers = [_number_of(b, p) for p in used.get(b.pk, []) + spoiled.get(b.pk, [])]
        report.append(
            BookGaps(
                book=b,
                used=len(used.get(b.pk, [])),
                spoiled=len(spoiled.get(b.pk, [])),
                gaps=_gaps(b.first_number, b.last_number, numbers),
            )
        )
    return report


@dataclass
class PaperSlot:
    """One number of a book and what became of it."""

    number: int
    paper_number: str
    receipt: Receipt | None = None
    spoiled: SpoiledPaperReceipt | None = None

    @property
    def state(self) -> str:
        if self.receipt is not None:
            return "void" if self.receipt.status == ReceiptStatus.VOID else "transcribed"
        return "spoiled" if self.spoiled is not None else "unaccounted"


def book_slots(book: ReceiptBook) -> list[PaperSlot]:
    """Every number of the book with its receipt or spoiled record (two queries)."""
    receipts = {
        r.paper_number: r
        for r in Receipt.objects.filter(book=book).only("pk", "number", "status", "paper_number")
    }
    spoiled = {s.paper_number: s for s in SpoiledPaperReceipt.objects.filter(book=book)}
    slots = []
    for number in range(book.first_number, book.last_number + 1):
        paper_number = book.paper_number(number)
        slots.append(
            PaperSlot(
                number=number,
                paper_number=paper_number,
                receipt=receipts.get(paper_number),
                spoiled=spoiled.get(paper_number),
            )
        )
    return slots


def open_gaps() -> list[BookGaps]:
    """The gap report's books: those with numbers not accounted for."""
    return [entry for entry in book_gaps() if entry.unaccounted]
