"""Reads about receipts that the desk's form and the public check page share."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, QuerySet

from archives.models import Occupancy, Unit
from archives.selectors import current_occupancy
from config.duties import took_part
from fees.enums import DayState, ReceiptStatus
from fees.models import DailyClose, Receipt, ReceiptPrint


@dataclass(frozen=True)
class UnitAtDesk:
    """What the desk sees while typing a unit code: the unit and who pays for it now."""

    code: str
    unit: Unit | None
    occupancy: Occupancy | None


def unit_at_desk(code: str) -> UnitAtDesk:
    # The same normalisation as the form's clean_unit_code, so the preview and the issued
    # receipt never disagree about which unit was meant.
    code = code.strip().upper()
    unit = Unit.objects.filter(code=code).first() if code else None
    return UnitAtDesk(code=code, unit=unit, occupancy=current_occupancy(unit) if unit else None)


class CheckStatus:
    VALID = "valid"
    VOID = "void"
    REVERSED = "reversed"


@dataclass(frozen=True)
class ReceiptCheck:
    """Only what a stranger holding the paper may learn: no payer, no lines, no cashier."""

    number: str
    business_date: date
    total: Decimal
    status: str
    reversal_number: str = ""
    reversal_date: date | None = None


def receipt_check(token: str) -> ReceiptCheck | None:
    receipt = (
        Receipt.objects.filter(token=token)
        .only("number", "business_date", "total", "status")
        .first()
    )
    if receipt is None:
        return None
    found = {
        "number": receipt.number,
        "business_date": receipt.business_date,
        "total": receipt.total,
    }
    # A void request the manager has not decided leaves the receipt valid until it is void.
    if receipt.status == ReceiptStatus.VOID:
        return ReceiptCheck(status=CheckStatus.VOID, **found)
    reversal = Receipt.objects.filter(reverses=receipt).only("number", "business_date").first()
    if reversal is not None:
        return ReceiptCheck(
            status=CheckStatus.REVERSED,
            reversal_number=reversal.number,
            reversal_date=reversal.business_date,
            **found,
        )
    return ReceiptCheck(status=CheckStatus.VALID, **found)


def next_copy(receipt: Receipt) -> int:
    """The number the next paper copy of the receipt gets: 1 for the original."""
    latest = ReceiptPrint.objects.filter(receipt=receipt).aggregate(latest=Max("copy"))["latest"]
    return (latest or 0) + 1


def receipt_prints(receipt: Receipt) -> list[ReceiptPrint]:
    """Every copy printed so far, the original first, with who printed it."""
    return list(ReceiptPrint.objects.filter(receipt=receipt).select_related("printed_by"))


def void_doers(receipt: Receipt) -> tuple[int | None, ...]:
    """Who issued the receipt and who asked for its void: neither decides the void."""
    return (receipt.cashier_id, receipt.void_requested_by_id)


def reversal_doers(receipt: Receipt) -> tuple[int | None, ...]:
    """Who issued the receipt: not the one who corrects it with a reversal."""
    return (receipt.cashier_id,)


@dataclass(frozen=True)
class ReceiptActions:
    """What a user may do with a receipt from its page; the services decide again. The
    ``*_by_another`` flags: the user holds the right but took part in the receipt, so the
    page says who acts instead of offering the button."""

    day_open: bool
    can_request_void: bool
    can_decide_void: bool
    can_reverse: bool
    void_by_another: bool = False
    reversal_by_another: bool = False


def receipt_actions(
    receipt: Receipt, user, *, day: DailyClose | None, reversal: Receipt | None
) -> ReceiptActions:
    """A receipt of an open day is voided (asked for, then decided by the manager); once its
    day is submitted it is corrected by a reversal instead, once. A reversal is neither."""
    day_open = day is None or day.state == DayState.OPEN
    status = ReceiptStatus(receipt.status)
    voidable = not receipt.is_reversal and status.can_become(ReceiptStatus.VOID_REQUESTED)
    decide = status.can_become(ReceiptStatus.VOID) and user.has_perm("fees.approve_void")
    own_void = took_part(user, void_doers(receipt))
    reverse = (
        not day_open
        and not receipt.is_reversal
        and status == ReceiptStatus.ISSUED
        and reversal is None
        and user.has_perm("fees.reverse_receipt")
    )
    own_receipt = took_part(user, reversal_doers(receipt))
    return ReceiptActions(
        day_open=day_open,
        can_request_void=day_open and voidable and user.has_perm("fees.request_void"),
        can_decide_void=decide and not own_void,
        can_reverse=reverse and not own_receipt,
        void_by_another=decide and own_void,
        reversal_by_another=reverse and own_receipt,
    )


def void_requests() -> QuerySet[Receipt]:
    """The receipts waiting for the manager's decision on their void, oldest first: read in
    the partial index ``receipt_void_requested`` (a few rows among years of receipts)."""
    return Receipt.objects.filter(status=ReceiptStatus.VOID_REQUESTED).order_by("issued_at")


def void_requests_count() -> int:
    """How many receipts wait for a void decision. Counting the indexed column, not the
    rows, lets SQLite answer from the partial index: for COUNT(*) it prefers to scan the
    (business date, status) index of every receipt, which holds the status too."""
    return void_requests().aggregate(n=Count("issued_at"))["n"]
