"""Recording the paper copies of a receipt: the original, then reprints (重打)."""

from datetime import datetime

from django.db import transaction

from config.permissions import require
from fees.models import Receipt, ReceiptPrint
from fees.selectors.receipts import next_copy


class CopyTaken(Exception):
    """Someone printed the same receipt meanwhile: the copy number is no longer the next."""


@transaction.atomic
def receipt_print_record(*, receipt: Receipt, by, copy: int, printed_at: datetime) -> ReceiptPrint:
    """Record copy ``copy`` of the receipt, printed by ``by`` at ``printed_at``; copies
    are numbered without gaps, and a copy number already taken raises CopyTaken.

    The desk renders the PDF first (outside any transaction: a render can wait seconds
    for the PDF lock) and records it after, so that a row exists only for a copy that was
    made, with exactly the number and time printed on it.
    """
    require(by, "fees.add_receiptprint")
    # The receipt's row lock queues two desks printing the same receipt at once.
    Receipt.objects.select_for_update().filter(pk=receipt.pk).values_list("pk").get()
    if next_copy(receipt) != copy:
        raise CopyTaken
    return ReceiptPrint.objects.create(
        receipt=receipt, copy=copy, printed_by=by, printed_at=printed_at
    )
