"""A period's receipts: every receipt printed (one a page, in one PDF) and the receipt
register (line by line, in Excel). Both are sections of the audit pack.

A month can hold 20,000 receipts. A page of the prints is the receipt's stored original
(fees.originals: the bytes the desk printed first), joined as it is (config.pdf.PdfJoiner)
with the pack's frame drawn on top in layers: the margins (centre, title, generated time),
laid out once and drawn by every page; the page's place in the pack, written into a copy of
a sample laid out once (config.pdf.TextSlot: a few microseconds, where WeasyPrint lays a
page out in ~10 ms); and the stamp of a void or a reversal, laid out for those receipts
alone. A receipt never printed has its original made and stored here, at the cost of a
desk's print (~0.1 s). The register's rows are streamed.
"""

from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from config.excel import XLSX_CONTENT_TYPE, Column, Sheet, streamed_workbook
from config.exporters import Period, register
from config.money import ZERO
from config.pdf import Overlay, render_pdf
from config.people import person_name
from fees import originals
from fees.enums import ReceiptStatus
from fees.exporters.audit_pack import PeriodSection
from fees.models import Receipt, ReceiptLine, ReceiptOriginal
from fees.selectors.statements import period_receipts

# Receipts per part: one query, and one document of the stamps of its void and reversed
# receipts. A document costs ~0.1 s on top of its pages and holds the process's PDF lock
# while it renders, so a desk printing meanwhile waits a fraction of a second.
RECEIPT_PART = 500
FRAME_TEMPLATE = "fees/pdf/receipts_pack.html"
# The frame's place in the pack is laid out once with this number, which holds every digit
# (config.pdf.TextSlot: a page's number may use only the characters of the sample's document).
PLACE_SAMPLE = 1234567890


def place(index: int, total: int) -> str:
    """A receipt page's place in the pack."""
    return f"第 {index} 张 / 共 {total} 张"


def is_stamped(receipt: Receipt) -> bool:
    """A receipt whose archive copy carries a stamp: void, waiting for its void, or
    reversed later (the frame's template says which)."""
    return (
        receipt.is_void
        or receipt.status == ReceiptStatus.VOID_REQUESTED
        or bool(receipt.reversed_by_number)
    )


# Each stored original embeds its own ~100 KB subset of the font; from this many receipts
# on, the whole font embedded once (~7 MB) makes a smaller file (config.pdf.PdfJoiner).
WHOLE_FONT_FROM = 80


# --- the prints ----------------------------------------------------------------------------


class ReceiptPrints(PeriodSection):
    name = "receipt_prints"
    label = format_lazy("{} (PDF)", gettext_lazy("Receipts"))
    content_type = "application/pdf"
    stem, extension = "receipts", "pdf"
    pack_order = 10

    def pack_part(self, period: Period) -> "ReceiptPrintsPart":
        return ReceiptPrintsPart(period)


class ReceiptPrintsPart:
    """receipts.pdf: every receipt of the period in number order, void and reversed ones
    marked, each with the QR of its verification page at the centre's public address
    (never the host the pack was asked from)."""

    def __init__(self, period: Period):
        self.period = period
        receipts = period_receipts(period.date_from, period.date_to)
        self.ids = list(receipts.order_by("number").values_list("pk", flat=True))
        self.cost = len(self.ids) * 1.0

    def write(self, pack) -> None:
        pack.say(gettext_lazy("Receipts"))
        pack.joined_pdf(
            "receipts.pdf",
            "收据",
            self._parts(pack),
            "本期间没有收据",
            whole_font=len(self.ids) >= WHOLE_FONT_FROM,
        )

    def _parts(self, pack):
        total = len(self.ids)
        context = {"centre": pack.centre, "title": f"收据（审计资料 {self.period.label}）"}
        frame = Overlay(
            render_pdf(
                FRAME_TEMPLATE,
                {**context, "frame": True, "place_sample": place(PLACE_SAMPLE, total)},
            )
        )
        margins = frame.page(0)
        for first in range(0, total, RECEIPT_PART):
            ids = self.ids[first : first + RECEIPT_PART]
            receipts = list(
                Receipt.objects.filter(pk__in=ids)
                .select_related("unit", "cashier", "reverses", "original")
                .prefetch_related("lines__fee_type")
                .annotate(reversed_by_number=F("reversed_by__number"))
                .order_by("number")
            )
            stamps = self._stamps(receipts, context)
            for index, receipt in enumerate(receipts, start=first + 1):
                over = [margins, frame.page(1, text=place(index, total))]
                if receipt.pk in stamps:
                    over.append(stamps[receipt.pk])
                yield self._original(receipt, pack.centre), [over]
            done = first + len(ids)
            pack.advance(
                len(ids) * 1.0,
                format_lazy(gettext_lazy("Receipts: {done} of {total}"), done=done, total=total),
            )

    @staticmethod
    def _stamps(receipts, context) -> dict:
        """The stamp of each stamped receipt of a part, by receipt (one document)."""
        stamped = [receipt for receipt in receipts if is_stamped(receipt)]
        if not stamped:
            return {}
        stamps = Overlay(render_pdf(FRAME_TEMPLATE, {**context, "stamped": stamped}))
        return {receipt.pk: stamps.page(n) for n, receipt in enumerate(stamped)}

    @staticmethod
    def _original(receipt: Receipt, centre) -> bytes:
        try:
            stored = receipt.original
        except ReceiptOriginal.DoesNotExist:
            stored = originals.original(receipt, centre)
        return originals.original_bytes(stored)

    def summary(self) -> str:
        receipts = period_receipts(self.period.date_from, self.period.date_to)
        return (
            f"收据 {len(self.ids)} 张（作废 "
            f"{receipts.filter(status=ReceiptStatus.VOID).count()} 张，红冲 "
            f"{receipts.filter(reverses__isnull=False).count()} 张）"
        )


# --- the register --------------------------------------------------------------------------

REGISTER_COLUMNS = [
    Column("收据编号", width=13),
    Column("营业日期", "date"),
    Column("开具时间", "datetime"),
    Column("交款人", width=24),
    Column("铺位", width=9),
    Column("付款方式", width=10),
    Column("支付参考号", width=16),
    Column("收费项目", width=18),
    Column("数量", "int", total=False),
    Column("单价", "money", total=False),
    Column("优惠", "money", total=False),
    Column("优惠原因", width=16),
    Column("金额", "money", total=False),
    # What the line adds to takings: a void receipt is listed but counts nothing.
    Column("计入收入", "money"),
    Column("状态", width=8),
    Column("冲销原收据", width=13),
    Column("收款人", width=10),
]


class ReceiptRegister(PeriodSection):
    name = "receipt_register"
    label = gettext_lazy("Receipt register")
    content_type = XLSX_CONTENT_TYPE
    stem, extension = "receipts", "xlsx"
    pack_order = 30

    def pack_part(self, period: Period) -> "ReceiptRegisterPart":
        return ReceiptRegisterPart(period)


def _receipt_status(receipt: Receipt) -> str:
    if receipt.is_reversal:
        return "红冲"
    return {ReceiptStatus.VOID: "作废", ReceiptStatus.VOID_REQUESTED: "作废待批"}.get(
        receipt.status, "正常"
    )


class ReceiptRegisterPart:
    """receipts.xlsx: one row per receipt line, void receipts listed and counting nothing."""

    # Of a receipt page (the registers and the history together: a tenth of the prints).
    COST = 0.05

    def __init__(self, period: Period):
        self.period = period
        self.cost = period_receipts(period.date_from, period.date_to).count() * self.COST

    def write(self, pack) -> None:
        pack.say(gettext_lazy("Excel registers and the history of changes"))
        sheet = Sheet("收据明细", REGISTER_COLUMNS, self._rows(), totals="合计")
        pack.add("receipts.xlsx", streamed_workbook(sheet))
        pack.advance(self.cost)

    def _rows(self):
        lines = (
            ReceiptLine.objects.filter(
                receipt__business_date__range=(self.period.date_from, self.period.date_to)
            )
            .select_related("receipt__unit", "receipt__cashier", "receipt__reverses", "fee_type")
            .order_by("receipt__number", "pk")
        )
        for line in lines.iterator(chunk_size=2000):
            receipt = line.receipt
            yield [
                receipt.number,
                receipt.business_date,
                receipt.issued_at,
                receipt.payer_name,
                receipt.unit.code if receipt.unit else "",
                receipt.get_method_display(),
                receipt.reference,
                line.fee_type.name_zh + (f"（{line.description}）" if line.description else ""),
                line.quantity,
                line.unit_price,
                line.discount,
                line.discount_reason,
                line.amount,
                line.amount if receipt.counts else ZERO,
                _receipt_status(receipt),
                receipt.reverses.number if receipt.reverses else "",
                person_name(receipt.cashier),
            ]

    def summary(self) -> str:
        return ""


register(ReceiptPrints())
register(ReceiptRegister())
