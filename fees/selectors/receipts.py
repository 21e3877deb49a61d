"""Reads about receipts that the desk's form and the public check page share."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max

from archives.models import Occupancy, Unit
from archives.selectors import current_occupancy
from fees.enums import ReceiptStatus
from fees.models import Receipt, ReceiptPrint


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
