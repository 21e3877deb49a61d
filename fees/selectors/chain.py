"""Reads of the receipt chain (fees.chain): the link a new receipt takes, where the chain
stands at a month's end, and the verification of a period.

The verification streams the receipts (``iterator()``, their lines prefetched a chunk at a
time), keeping only the last receipt of each series in memory, so that years of receipts
are read in flat memory. It checks, for every receipt of the period:

- its content: the hash recomputed from the row and its lines is the one stored;
- its place: it follows the receipt numbered one before it (a gap is a missing receipt);
- its link: it holds the hash of that receipt (a rewritten hash shows in the next link).

and at the period's edges the link from the receipt before the period (so that a period
starting after a tampered or deleted receipt still shows it) and the link to the receipt
after it, or the series' counter when there is none (a deleted last receipt); then the
hash each month lock of the period recorded, against the receipt it names.

A page verifies a period a part at a time (``after`` and ``limit``): the next ``limit``
receipts in chain order after the last one the previous part verified, with the same checks
at the part's edges (the link from the receipt before it, the link to the receipt after it),
so that the parts walked one after the other check every receipt and every link of the
period, and each part costs the same whatever the period holds. The command and the audit
pack verify the whole period at once.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from fees.chain import GENESIS, chain_head, chain_order, receipt_hash
from fees.enums import ChainBreakKind
from fees.models import (
    MonthLock,
    NumberSequence,
    Receipt,
    ReceiptLine,
    receipt_number,
    receipt_sequence,
    receipt_series,
)

# Receipts read from the database at a time (with their lines): what memory holds at most.
CHUNK = 500
# A verification lists this many breaks at most (the first ones, in chain order).
MAX_BREAKS = 100
# Receipts the finance page verifies at a time: a part of the period (chain_verify's limit).
PART = 500


def previous_hash(year: int, sequence: int) -> str:
    """The hash the receipt numbered ``sequence`` of ``year`` links to: its predecessor's.

    Read under the series' row lock (fees.services.numbering.next_number), so the
    predecessor's transaction has ended. A predecessor that is gone (deleted behind the
    desk's back) gives GENESIS: the desk keeps working, and the verification names the gap.
    """
    if sequence <= 1:
        return GENESIS
    stored = (
        Receipt.objects.filter(number=receipt_number(year, sequence - 1))
        .values_list("chain_hash", flat=True)
        .first()
    )
    return stored or GENESIS


def chain_at(end: date) -> tuple[str, str] | None:
    """(number, hash) of the chain's last receipt dated up to ``end``: what a month lock
    records at the month's end (None before the first receipt)."""
    return chain_head(Receipt, until=end)


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain breaks: ``number`` is the receipt at fault (or the missing one)."""

    number: str
    kind: ChainBreakKind
    message: str

    @property
    def label(self) -> str:
        return ChainBreakKind(self.kind).label

    @property
    def position(self) -> tuple[str, int]:
        """Its place in chain order: the series (year), then the number in it."""
        year, _sep, rest = self.number.partition("-")
        return year, int(rest) if rest.isdigit() else 0


@dataclass
class ChainReport:
    start: date | None
    end: date | None
    checked: int = 0  # receipts whose hash was recomputed
    anchors: int = 0  # month locks whose recorded hash was compared
    breaks: list[ChainBreak] = field(default_factory=list)
    truncated: bool = False  # more breaks than MAX_BREAKS: the walk stopped there
    # A part of the period (chain_verify's after and limit): the receipts of the period's
    # walk, those before the part, the part's first and last numbers, and the last number
    # to continue after when receipts remain (None: the part reached the period's end).
    total: int | None = None
    before: int = 0
    first: str = ""
    last: str = ""
    next_after: str | None = None

    @property
    def is_part(self) -> bool:
        """Only some of the period's receipts were verified."""
        return self.total is not None and (self.before > 0 or self.next_after is not None)

    @property
    def intact(self) -> bool:
        return not self.breaks

    @property
    def first_break(self) -> ChainBreak | None:
        return self.breaks[0] if self.breaks else None


@dataclass
class _Tail:
    """The last receipt of a series seen so far in the walk."""

    sequence: int
    number: str
    hash: str


class _Walk:
    def __init__(self, report: ChainReport):
        self.report = report
        self.tails: dict[int, _Tail] = {}

    def full(self) -> bool:
        return len(self.report.breaks) >= MAX_BREAKS

    def add(self, number: str, kind: ChainBreakKind, message: str) -> None:
        if self.full():
            self.report.truncated = True
            return
        self.report.breaks.append(ChainBreak(number, kind, message))

    def visit(self, receipt: Receipt) -> None:
        self.report.checked += 1
        self.report.first = self.report.first or receipt.number
        self.report.last = receipt.number
        try:
            sequence = receipt_sequence(receipt.number)
        except ValueError:
            self.add(receipt.number, ChainBreakKind.CHANGED, _changed(receipt.number))
            return
        tail = self.tails.get(receipt.year)
        if tail is None:
            self._enter(receipt, sequence)
        else:
            self._follow(receipt, sequence, tail)
        recomputed = receipt_hash(receipt, receipt.lines.all(), receipt.chain_previous)
        if recomputed != receipt.chain_hash:
            self.add(receipt.number, ChainBreakKind.CHANGED, _changed(receipt.number))
        self.tails[receipt.year] = _Tail(sequence, receipt.number, receipt.chain_hash)

    def _enter(self, receipt: Receipt, sequence: int) -> None:
        """The first receipt of its series in the period: the link from the one before."""
        if sequence == 1:
            if receipt.chain_previous != GENESIS:
                self.add(
                    receipt.number,
                    ChainBreakKind.LINK,
                    _("%(number)s is the first receipt of its year but links to another one.")
                    % {"number": receipt.number},
                )
            return
        before = receipt_number(receipt.year, sequence - 1)
        stored = Receipt.objects.filter(number=before).values_list("chain_hash", flat=True)
        if not stored:
            self.add(before, ChainBreakKind.MISSING, _missing(before, after=receipt.number))
        elif receipt.chain_previous != stored[0]:
            self.add(receipt.number, ChainBreakKind.LINK, _unlinked(receipt.number, before))

    def _follow(self, receipt: Receipt, sequence: int, tail: _Tail) -> None:
        if sequence <= tail.sequence:
            self.add(
                receipt.number,
                ChainBreakKind.LINK,
                _("%(number)s is out of place in the numbering, after %(before)s.")
                % {"number": receipt.number, "before": tail.number},
            )
        elif sequence > tail.sequence + 1:
            gone = receipt_number(receipt.year, tail.sequence + 1)
            self.add(gone, ChainBreakKind.MISSING, _missing(gone, after=receipt.number))
        elif receipt.chain_previous != tail.hash:
            self.add(receipt.number, ChainBreakKind.LINK, _unlinked(receipt.number, tail.number))

    def leave(self) -> None:
        """After the period: each series' last receipt and the one that follows it."""
        for year, tail in self.tails.items():
            after = receipt_number(year, tail.sequence + 1)
            link = Receipt.objects.filter(number=after).values_list("chain_previous", flat=True)
            if link:
                if link[0] != tail.hash:
                    self.add(after, ChainBreakKind.LINK, _unlinked(after, tail.number))
                continue
            found = _next_in_series(year, tail.number)
            if found is not None:
                self.add(after, ChainBreakKind.MISSING, _missing(after, after=found))
                continue
            counter = (
                NumberSequence.objects.filter(key=receipt_series(year))
                .values_list("last_value", flat=True)
                .first()
            )
            if counter is not None and counter > tail.sequence:
                self.add(
                    after,
                    ChainBreakKind.MISSING,
                    _("%(number)s is missing: the numbering of its year reached %(last)s.")
                    % {"number": after, "last": receipt_number(year, counter)},
                )


def _next_in_series(year: int, number: str) -> str | None:
    """The first receipt of the series after ``number`` (when the one right after is gone)."""
    later = Q(number_length__gt=len(number)) | Q(number_length=len(number), number__gt=number)
    return _edge(
        Receipt.objects.annotate(number_length=Length("number")).filter(later, year=year),
        descending=False,
    )


def _changed(number: str) -> str:
    return _(
        "%(number)s was changed after it was issued: its content or its lines no longer "
        "give its hash."
    ) % {"number": number}


def _missing(number: str, *, after: str) -> str:
    return _("%(number)s is missing: the receipt before %(after)s is gone.") % {
        "number": number,
        "after": after,
    }


def _unlinked(number: str, before: str) -> str:
    return _(
        "%(number)s does not hold the hash of %(before)s: the link between them, or the "
        "hash of %(before)s, was rewritten."
    ) % {"number": number, "before": before}


def _period(start: date | None, end: date | None) -> Q:
    period = Q()
    if start is not None:
        period &= Q(business_date__gte=start)
    if end is not None:
        period &= Q(business_date__lte=end)
    return period


def _between(first: str, last: str) -> Q:
    """Numbers of one series from ``first`` to ``last`` in chain order (longer numbers come
    after shorter ones; ``number_length`` is annotated)."""
    if len(first) == len(last):
        # The usual span (numbers of one length): a range of the number's own index, so
        # that the walk reads the span's rows, not every receipt of every year.
        return Q(number_length=len(first), number__gte=first, number__lte=last)
    after_first = Q(number_length__gt=len(first)) | Q(number_length=len(first), number__gte=first)
    before_last = Q(number_length__lt=len(last)) | Q(number_length=len(last), number__lte=last)
    return after_first & before_last


def _edge(receipts: QuerySet[Receipt], *, descending: bool) -> str | None:
    return (
        receipts.order_by(*chain_order(descending=descending))
        .values_list("number", flat=True)
        .first()
    )


def _spans(start: date | None, end: date | None) -> Q | None:
    """The receipts to walk: in each series, every receipt from the period's first to its
    last, whatever their dates. A period without receipts walks the receipt before it, so
    that receipts deleted from the period still show as missing after it."""
    in_period = Receipt.objects.filter(_period(start, end))
    spans = Q()
    for year in in_period.order_by().values_list("year", flat=True).distinct():
        in_series = in_period.filter(year=year)
        first = _edge(in_series, descending=False)
        last = _edge(in_series, descending=True)
        spans |= Q(year=year) & _between(first, last)
    if not spans and start is not None:
        before = (
            Receipt.objects.filter(business_date__lt=start)
            .order_by(*chain_order(descending=True))
            .values_list("year", "number")
            .first()
        )
        if before is not None:
            spans = Q(year=before[0], number=before[1])
    return spans or None


def _after(number: str) -> Q:
    """Receipts after ``number`` in chain order (``number_length`` is annotated)."""
    year = int(number.partition("-")[0])
    later = Q(number_length__gt=len(number)) | Q(number_length=len(number), number__gt=number)
    return Q(year__gt=year) | (Q(year=year) & later)


def _walked(spans: Q) -> QuerySet[Receipt]:
    """The receipts of the spans in chain order, each with its lines."""
    return (
        Receipt.objects.annotate(number_length=Length("number"))
        .filter(spans)
        .order_by(*chain_order())
        .prefetch_related(Prefetch("lines", queryset=ReceiptLine.objects.order_by("pk")))
    )


def _anchors(start: date | None, end: date | None) -> Iterator[MonthLock]:
    locks = MonthLock.objects.exclude(chain_number="").order_by("year", "month")
    if start is not None:
        locks = locks.filter(Q(year__gt=start.year) | Q(year=start.year, month__gte=start.month))
    if end is not None:
        locks = locks.filter(Q(year__lt=end.year) | Q(year=end.year, month__lte=end.month))
    return locks.iterator()


def _check_anchors(walk: _Walk, start: date | None, end: date | None) -> None:
    for lock in _anchors(start, end):
        walk.report.anchors += 1
        current = Receipt.objects.filter(number=lock.chain_number).values_list(
            "chain_hash", flat=True
        )
        month = f"{lock.year}-{lock.month:02d}"
        if not current:
            walk.add(
                lock.chain_number,
                ChainBreakKind.MISSING,
                _("%(number)s, the last receipt when %(month)s was locked, is missing.")
                % {"number": lock.chain_number, "month": month},
            )
        elif current[0] != lock.chain_hash:
            walk.add(
                lock.chain_number,
                ChainBreakKind.ANCHOR,
                _(
                    "%(number)s no longer has the hash recorded when %(month)s was locked: "
                    "the chain up to it was rewritten."
                )
                % {"number": lock.chain_number, "month": month},
            )


def chain_verify(
    start: date | None = None,
    end: date | None = None,
    *,
    after: str | None = None,
    limit: int | None = None,
) -> ChainReport:
    """Verify the receipt chain of the receipts with business dates from ``start`` to
    ``end`` (either open), with its links into and out of the period and the month locks
    of the period; the breaks come in chain order, the first one first.

    With ``limit``, only a part: the first ``limit`` receipts of the period's walk after
    the receipt numbered ``after`` (from the start without it), checked with their links
    into and out of the part; the report says where the part stands in the period and the
    number to continue after (report.next_after)."""
    report = ChainReport(start=start, end=end)
    walk = _Walk(report)
    spans = _spans(start, end)
    if spans is not None:
        receipts = _walked(spans)
        if limit is not None:
            report.total = receipts.count()
            if after:
                report.before = receipts.exclude(_after(after)).count()
                receipts = receipts.filter(_after(after))
            receipts = receipts[:limit]
        for receipt in receipts.iterator(chunk_size=CHUNK):
            if walk.full():
                report.truncated = True
                break
            walk.visit(receipt)
        walk.leave()
        if limit is not None and report.before + report.checked < report.total:
            report.next_after = report.last or None
    _check_anchors(walk, start, end)
    # Stable: at one receipt, what the walk found first (its link, its content) comes first.
    report.breaks.sort(key=lambda found: found.position)
    return report
