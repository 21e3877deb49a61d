"""A receipt's original: its PDF as first made, kept under MEDIA_ROOT/receipts/ with its
SHA-256 (ReceiptOriginal) and never rewritten, so that "the copy is the original" can be
checked byte for byte.

The original is made at the receipt's first print at the desk, or by the audit pack for a
receipt never printed. The desk's first copy is the original itself; a reprint is the
original with its 重打 marks drawn on top (nothing else moves: the marks are placed
absolutely in the layout); the audit pack joins the originals and draws its frame and the
marks of a void or a reversal on top (fees.exporters.receipts). A void receipt printed at
the desk is laid out afresh, without the seal, as before: it is not a receipt to hand over.
"""

import hashlib
import io

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from config.pdf import Overlay, PdfJoiner, render_pdf
from fees.models import Receipt, ReceiptOriginal, ReceiptPrint
from fees.qr import qr_data_uri


class OriginalAltered(Exception):
    """A stored original whose bytes no longer match the SHA-256 recorded with it."""


def receipt_pdf(
    receipt: Receipt, centre, copy: ReceiptPrint | None = None, *, marks_only=False
) -> bytes:
    """The receipt laid out on its A5 page (fees/pdf/receipt.html); ``copy``: a reprint's
    marks; ``marks_only``: those marks alone, on a blank page, to draw over the original."""
    # The QR opens the public address the administrator set, whatever host the desk used.
    verify_url = centre.public_link(reverse("verify_receipt", args=[receipt.token]))
    context = {
        "title": "收据",
        "centre": centre,
        "receipt": receipt,
        "qr": qr_data_uri(verify_url) if verify_url else "",
        "verify_url": verify_url,
        # A void receipt is not evidence of payment: it never carries the seal.
        "seal": "" if receipt.is_void else centre.seal_uri,
        "copy": copy,
        "marks_only": marks_only,
    }
    with translation.override("zh-hans"):  # the paper receipt is a Chinese document
        pdf = render_pdf("fees/pdf/receipt.html", context)
        # A receipt fits one page, which carries no page numbers; only one with long
        # lines runs over, and then each page is numbered (a second, rare, render).
        if _page_count(pdf) > 1:
            pdf = render_pdf("fees/pdf/receipt.html", {**context, "paged": True})
    return pdf


def _page_count(pdf: bytes) -> int:
    return len(Overlay(pdf).reader.pages)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def original(receipt: Receipt, centre) -> ReceiptOriginal:
    """The receipt's stored original, made and stored now if it has none."""
    stored = ReceiptOriginal.objects.filter(receipt=receipt).first()
    return stored or store_original(receipt, receipt_pdf(receipt, centre))


def store_original(receipt: Receipt, pdf: bytes) -> ReceiptOriginal:
    """Keep ``pdf`` as the receipt's original, unless another desk kept one first: then
    that one is the original, and this file is removed (one receipt, one original: the
    row's unique receipt decides)."""
    stored = ReceiptOriginal(receipt=receipt, sha256=sha256(pdf), made_at=timezone.now())
    stored.file.save("original.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        stored.file.delete(save=False)
        return ReceiptOriginal.objects.get(receipt=receipt)
    return stored


def original_bytes(stored: ReceiptOriginal) -> bytes:
    """The stored file, checked against its SHA-256."""
    with stored.file.storage.open(stored.file.name, "rb") as file:
        content = file.read()
    if sha256(content) != stored.sha256:
        raise OriginalAltered(f"the original of {stored.receipt_id} does not match its SHA-256")
    return content


def reprint(receipt: Receipt, centre, copy: ReceiptPrint, pdf: bytes) -> bytes:
    """The original ``pdf`` with the reprint's marks (重打, its time, copy and who) on top."""
    marks = Overlay(receipt_pdf(receipt, centre, copy, marks_only=True))
    return stamped(pdf, marks.page(0), title="收据")


def stamped(pdf: bytes, over, *, title: str) -> bytes:
    """``pdf`` with the overlay page ``over`` drawn on its first page."""
    out = io.BytesIO()
    joiner = PdfJoiner(out)
    joiner.append(pdf, over=[[over]])
    joiner.finish(title=title)
    return out.getvalue()
