"""Reads about a receipt's paper copies (fees.models.ReceiptPrint)."""

from django.db.models import Max

from fees.models import Receipt, ReceiptPrint


def next_copy(receipt: Receipt) -> int:
    """The number the next paper copy of the receipt gets: 1 for the original."""
    latest = ReceiptPrint.objects.filter(receipt=receipt).aggregate(latest=Max("copy"))["latest"]
    return (latest or 0) + 1


def receipt_prints(receipt: Receipt) -> list[ReceiptPrint]:
    """Every copy printed so far, the original first, with who printed it."""
    return list(ReceiptPrint.objects.filter(receipt=receipt).select_related("printed_by"))
