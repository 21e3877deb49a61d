"""The audit pack: a period's receipts, daily closes and changes as one ZIP, for finance and
the auditor.

The ZIP holds ``receipts.pdf`` (every receipt, one a page, in one document),
``handover_slips.pdf``, ``receipts.xlsx`` (the register, line by line),
``daily_closes.xlsx``, ``history.xlsx`` (who changed what, when), the monthly statements
of every month the period touches and ``manifest.txt`` with each file's SHA-256.

A month can hold 20,000 receipts, so the pack is written into a file, never held in memory
whole: the receipts are laid out by WeasyPrint in parts of RECEIPT_PART pages (each part is
one short hold of the process's PDF lock, so a desk printing a receipt meanwhile waits
seconds, not minutes) and PdfJoiner writes the parts out as one document; the Excel sheets
are streamed rows. Memory stays near 250 MB whatever the period.
"""

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    create_string_object,
)

from config.centre import current_centre
from config.excel import HEADER_FILL, HEADER_FONT, Column, set_text, write_cell
from config.history import display_value
from config.money import ZERO
from config.pdf import render_pdf
from config.people import person_name
from fees.enums import DayState, ReceiptStatus
from fees.history import figure_changes
from fees.models import (
    Charge,
    DailyClose,
    DailyCloseMethod,
    Discrepancy,
    Handover,
    Permit,
    Receipt,
    ReceiptLine,
)
from fees.qr import qr_data_uri
from fees.selectors.days import final_counts, slip_context
from fees.statements import statement_files

# Receipts per WeasyPrint document: a document costs ~0.1 s on top of its pages, and holds
# the PDF lock while it renders (~80 ms a page here).
RECEIPT_PART = 100
SLIP_PART = 31

Progress = Callable[[int, object], None]


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    @property
    def label(self) -> str:
        return f"{self.date_from:%Y-%m-%d} 至 {self.date_to:%Y-%m-%d}"

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        """The first moment after the period (exclusive)."""
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    @property
    def months(self) -> list[tuple[int, int]]:
        months, year, month = [], self.date_from.year, self.date_from.month
        while (year, month) <= (self.date_to.year, self.date_to.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def receipts(self):
        return Receipt.objects.filter(business_date__range=(self.date_from, self.date_to))


def pack_filename(date_from: date, date_to: date) -> str:
    return f"audit-pack_{date_from:%Y-%m-%d}_{date_to:%Y-%m-%d}.zip"


def audit_pack(date_from: date, date_to: date, *, progress=None, by=None) -> bytes:
    """The pack as bytes, for small periods and tests; jobs use write_audit_pack()."""
    buffer = io.BytesIO()
    write_audit_pack(buffer, date_from, date_to, progress=progress, by=by)
    return buffer.getvalue()


def write_audit_pack(
    out, date_from: date, date_to: date, *, progress: Progress | None = None, by=None
) -> None:
    """Write the audit pack of the period as a ZIP into the binary file ``out``.

    The receipts' QR codes open the centre's public address (config.centre), never the
    host the pack was asked from; ``progress(percent, message)`` is called as the work
    advances; ``by`` is named in the manifest.
    """
    period = Period(date_from, date_to)
    # The pack is a Chinese document, whatever the language of the person asking for it.
    with translation.override("zh-hans"), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        pack = _Pack(zf, period, progress)
        pack.receipts_pdf()
        pack.slips_pdf()
        pack.say(gettext_lazy("Excel registers and the history of changes"))
        pack.add("receipts.xlsx", _workbook(_register_sheet(period)))
        pack.add("daily_closes.xlsx", _workbook(_closes_sheet(period)))
        pack.advance(len(pack.receipt_ids) * 0.05)
        pack.add("history.xlsx", _workbook(*_history_sheets(period)))
        pack.advance(len(pack.receipt_ids) * 0.05)
        pack.statements()
        pack.manifest(by)


class _HashingWriter:
    """A write-only stream into a ZIP entry that hashes what passes through."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()

    def write(self, data) -> int:
        self.digest.update(data)
        return self.raw.write(data)


class _Pack:
    def __init__(self, zf: zipfile.ZipFile, period: Period, progress: Progress | None):
        self.zf = zf
        self.period = period
        # Read once: every part and the manifest name the same centre, even if the
        # administrator edits it while a long pack is being written.
        self.centre = current_centre()
        self.sums: dict[str, str] = {}
        self.notes: list[str] = []
        self.receipt_ids = list(period.receipts().order_by("number").values_list("pk", flat=True))
        self.slip_days = list(
            DailyClose.objects.filter(
                business_date__range=(period.date_from, period.date_to),
                state__in=[DayState.APPROVED, DayState.HANDED_OVER],
            )
            .order_by("business_date")
            .values_list("pk", flat=True)
        )
        # Rough costs, in receipt pages: a slip is two, the Excel files a tenth of the PDF,
        # a month's statement about thirty.
        self.total_work = (
            len(self.receipt_ids) * 1.1 + len(self.slip_days) * 2 + len(period.months) * 30 + 1
        )
        self.work_done = 0.0
        self.report = progress
        self.message = ""
        self.last_percent = -1

    def say(self, message) -> None:
        """Report what the pack is doing now."""
        self.message = message
        self.last_percent = min(99, int(self.work_done * 100 / self.total_work))
        if self.report is not None:
            self.report(self.last_percent, message)

    def advance(self, work: float, message=None) -> None:
        """Count work done; report when the percentage moves (or the message changes)."""
        self.work_done += work
        percent = min(99, int(self.work_done * 100 / self.total_work))
        if percent != self.last_percent or message is not None:
            self.say(message if message is not None else self.message)

    def add(self, name: str, content: bytes) -> None:
        self.zf.writestr(name, content)
        self.sums[name] = hashlib.sha256(content).hexdigest()

    @contextmanager
    def open(self, name: str):
        info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.zf.open(info, "w", force_zip64=True) as entry:
            stream = _HashingWriter(entry)
            yield stream
        self.sums[name] = stream.digest.hexdigest()

    def _joined_pdf(self, name: str, title: str, parts: Iterable[bytes], empty_note: str) -> None:
        parts = iter(parts)
        first = next(parts, None)
        if first is None:  # a PDF of no pages is not a valid file
            self.notes.append(empty_note)
            return
        with self.open(name) as stream:
            joiner = PdfJoiner(stream)
            joiner.append(first)
            for part in parts:
                joiner.append(part)
            joiner.finish(title=f"{self.centre.name} {title} {self.period.label}")

    def receipts_pdf(self) -> None:
        self.say(gettext_lazy("Receipts"))
        self._joined_pdf("receipts.pdf", "收据", self._receipt_parts(), "本期间没有收据")

    def _receipt_parts(self):
        total = len(self.receipt_ids)
        for first in range(0, total, RECEIPT_PART):
            ids = self.receipt_ids[first : first + RECEIPT_PART]
            receipts = list(
                Receipt.objects.filter(pk__in=ids)
                .select_related("unit", "cashier", "reverses")
                .prefetch_related("lines__fee_type")
                .annotate(reversed_by_number=F("reversed_by__number"))
                .order_by("number")
            )
            for receipt in receipts:
                url = self.centre.public_link(reverse("verify_receipt", args=[receipt.token]))
                receipt.qr = qr_data_uri(url) if url else ""
            yield render_pdf(
                "fees/pdf/receipts_pack.html",
                {
                    "centre": self.centre,
                    "title": f"收据（审计资料 {self.period.label}）",
                    "receipts": receipts,
                    "first_index": first + 1,
                    "receipt_total": total,
                },
            )
            done = first + len(ids)
            self.advance(
                len(ids) * 1.0,
                format_lazy(gettext_lazy("Receipts: {done} of {total}"), done=done, total=total),
            )

    def slips_pdf(self) -> None:
        self.say(gettext_lazy("Handover slips"))
        self._joined_pdf(
            "handover_slips.pdf", "交款单", self._slip_parts(), "本期间没有已审核的日结"
        )

    def _slip_parts(self):
        total = len(self.slip_days)
        for first in range(0, total, SLIP_PART):
            days = DailyClose.objects.filter(pk__in=self.slip_days[first : first + SLIP_PART])
            slips = [
                slip_context(day)
                for day in days.select_related("submitted_by", "approved_by", "handover").order_by(
                    "business_date"
                )
            ]
            yield render_pdf(
                "fees/pdf/handover_slips_pack.html",
                {
                    "title": f"交款单（审计资料 {self.period.label}）",
                    "slips": slips,
                    "first_index": first + 1,
                    "slip_total": total,
                    "signature_roles": ["交款人", "审核人", "收款人"],
                },
            )
            self.advance(
                len(slips) * 2.0,
                format_lazy(
                    gettext_lazy("Handover slips: {done} of {total}"),
                    done=first + len(slips),
                    total=total,
                ),
            )

    def statements(self) -> None:
        for year, month in self.period.months:
            xlsx, pdf = statement_files(year, month)
            self.add(f"statement_{year}-{month:02d}.xlsx", xlsx)
            self.add(f"statement_{year}-{month:02d}.pdf", pdf)
            self.advance(
                30,
                format_lazy(gettext_lazy("Monthly statement {month}"), month=f"{year}-{month:02d}"),
            )

    def manifest(self, by) -> None:
        receipts = self.period.receipts()
        lines = [
            f"# {self.centre.name} 审计资料包",
            f"# 期间：{self.period.label}",
            f"# 生成时间：{timezone.localtime():%Y-%m-%d %H:%M:%S}"
            + (f"　生成人：{person_name(by)}" if by is not None else ""),
            f"# 收据 {len(self.receipt_ids)} 张（作废 "
            f"{receipts.filter(status=ReceiptStatus.VOID).count()} 张，红冲 "
            f"{receipts.filter(reverses__isnull=False).count()} 张）；交款单 "
            f"{len(self.slip_days)} 份",
            *(f"# {note}" for note in self.notes),
            "# 下列文件的 SHA-256（可用 sha256sum -c manifest.txt 核对）：",
            *(f"{digest}  {name}" for name, digest in self.sums.items()),
        ]
        self.zf.writestr("manifest.txt", "\n".join(lines) + "\n")


class PdfJoiner:
    """Joins PDFs into one, page after page, writing each part's objects out as it comes.

    Memory holds one part and the list of pages, whatever the length: pypdf's PdfWriter
    keeps every page until it writes (~40 KB a page, a gigabyte for a busy month). Each
    part's objects reachable from its pages are renumbered and copied; the parts' own
    catalogues (outlines, page trees) are left behind, and one page tree holds all pages.
    """

    CATALOG, PAGES = 1, 2

    def __init__(self, stream):
        self.stream = stream
        self.position = 0
        self.offsets: dict[int, int] = {}
        self.pages: list[int] = []
        self.next_number = 3
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.stream.write(data)
        self.position += len(data)

    def _object(self, number: int, obj) -> None:
        buffer = io.BytesIO()
        obj.write_to_stream(buffer)
        self.offsets[number] = self.position
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, buffer.getvalue()))

    def append(self, pdf: bytes) -> None:
        reader = PdfReader(io.BytesIO(pdf))
        numbers: dict[int, int] = {}
        pending: list[IndirectObject] = []

        def renumbered(ref: IndirectObject) -> IndirectObject:
            if ref.idnum not in numbers:
                numbers[ref.idnum] = self.next_number
                self.next_number += 1
                pending.append(ref)
            return IndirectObject(numbers[ref.idnum], 0, None)

        def rewrite(obj):
            """The object with its references renumbered (containers changed in place:
            the reader is thrown away with the part)."""
            if isinstance(obj, IndirectObject):
                return renumbered(obj)
            if isinstance(obj, dict):
                for key, value in obj.items():
                    obj[key] = rewrite(value)
            elif isinstance(obj, list):
                obj[:] = [rewrite(value) for value in obj]
            return obj

        for page in reader.pages:
            self.pages.append(renumbered(page.indirect_reference).idnum)
        while pending:
            ref = pending.pop()
            obj = reader.get_object(ref)
            is_page = isinstance(obj, dict) and obj.get("/Type") == "/Page"
            if is_page:
                del obj["/Parent"]  # the part's page tree stays behind
            rewrite(obj)
            if is_page:
                obj[NameObject("/Parent")] = IndirectObject(self.PAGES, 0, None)
            self._object(numbers[ref.idnum], obj)

    def finish(self, *, title: str) -> None:
        kids = ArrayObject(IndirectObject(number, 0, None) for number in self.pages)
        pages = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): kids,
                NameObject("/Count"): NumberObject(len(self.pages)),
            }
        )
        self._object(self.PAGES, pages)
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): IndirectObject(self.PAGES, 0, None),
                NameObject("/Lang"): create_string_object("zh-CN"),
            }
        )
        self._object(self.CATALOG, catalog)
        info = self.next_number
        self._object(info, DictionaryObject({NameObject("/Title"): create_string_object(title)}))
        size = info + 1
        xref = self.position
        entries = [b"0000000000 65535 f \n"]
        entries += [b"%010d 00000 n \n" % self.offsets[number] for number in range(1, size)]
        self._write(b"xref\n0 %d\n%s" % (size, b"".join(entries)))
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, self.CATALOG, info, xref)
        )


# --- Excel ---------------------------------------------------------------------------------


@dataclass
class _Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    totals: str | None = None


def _workbook(*sheets: _Sheet) -> bytes:
    """A workbook of streamed sheets: rows are written as they come and not kept, so a
    year of receipts stays within a few tens of MB. Same layout as config.excel's sheets
    (header, widths, frozen header, filter, SUM totals) and every value through its
    write_cell(), the export-injection guard."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.display_width
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws)
            set_text(cell, column.header)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            header.append(cell)
        ws.append(header)
        last_row = 1
        for values in sheet.rows:
            last_row += 1
            cells = []
            for column, value in zip(sheet.columns, values, strict=True):
                cell = WriteOnlyCell(ws)
                write_cell(cell, value, column.kind)
                cells.append(cell)
            ws.append(cells)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{last_row}"
        if sheet.totals is not None:
            ws.append(_totals_row(ws, sheet, last_row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _totals_row(ws, sheet: _Sheet, last_row: int) -> list:
    cells = []
    for index, column in enumerate(sheet.columns, start=1):
        cell = WriteOnlyCell(ws)
        cell.font = HEADER_FONT
        if index == 1:
            set_text(cell, sheet.totals)
        elif column.summed:
            letter = get_column_letter(index)
            cell.value = f"=SUM({letter}2:{letter}{last_row})" if last_row >= 2 else 0
            cell.number_format = "#,##0.00"
        cells.append(cell)
    return cells


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


def _receipt_status(receipt: Receipt) -> str:
    if receipt.is_reversal:
        return "红冲"
    return {ReceiptStatus.VOID: "作废", ReceiptStatus.VOID_REQUESTED: "作废待批"}.get(
        receipt.status, "正常"
    )


def _register_sheet(period: Period) -> _Sheet:
    lines = (
        ReceiptLine.objects.filter(receipt__business_date__range=(period.date_from, period.date_to))
        .select_related("receipt__unit", "receipt__cashier", "receipt__reverses", "fee_type")
        .order_by("receipt__number", "pk")
    )

    def rows():
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

    return _Sheet("收据明细", REGISTER_COLUMNS, rows(), totals="合计")


CLOSE_COLUMNS = [
    Column("营业日期", "date"),
    Column("状态", width=8),
    Column("系统应收", "money"),
    Column("实点/对账", "money"),
    Column("差额", "money"),
    Column("差额说明", width=24),
    Column("提交人", width=10),
    Column("提交时间", "datetime"),
    Column("审核人", width=10),
    Column("审核时间", "datetime"),
    Column("交款现金", "money"),
    Column("财务实收", "money"),
    Column("款袋/封条号", width=14),
    Column("财务收款人", width=10),
    Column("收款时间", "datetime"),
    Column("交款差异说明", width=24),
    Column("差异签批人", width=10),
    Column("期初备用金", "money", total=False),
    Column("留存备用金", "money", total=False),
    Column("重新清点次数", "int", total=False),
]


def _figures_total(values: dict[str, Decimal]) -> Decimal | None:
    return sum(values.values(), ZERO) if values else None


def _closes_sheet(period: Period) -> _Sheet:
    closes = (
        DailyClose.objects.filter(business_date__range=(period.date_from, period.date_to))
        .select_related(
            "submitted_by",
            "approved_by",
            "handover__received_by",
            "handover__discrepancy__signed_off_by",
        )
        .prefetch_related("methods")
        .order_by("business_date")
    )

    def rows():
        finals = final_counts(closes.values_list("pk", flat=True))
        for day in closes:
            final = finals.get(day.pk)
            expected = _figures_total(day.expected_by_method)
            counted = _figures_total(day.counted_by_method)
            submitted = day.state != DayState.OPEN
            handover = getattr(day, "handover", None)
            discrepancy = getattr(handover, "discrepancy", None) if handover else None
            yield [
                day.business_date,
                day.get_state_display(),
                expected if submitted else None,
                counted if submitted else None,
                counted - expected if submitted and counted is not None else None,
                "；".join(day.explanations_by_method.values()),
                person_name(day.submitted_by),
                day.submitted_at,
                person_name(day.approved_by),
                day.approved_at,
                handover.cash_expected if handover else None,
                handover.cash_received if handover else None,
                handover.bag_number if handover else "",
                person_name(handover.received_by) if handover else "",
                handover.received_at if handover else None,
                discrepancy.explanation if discrepancy else "",
                person_name(discrepancy.signed_off_by) if discrepancy else "",
                final.opening_float if final else None,
                final.float_left if final else None,
                final.sequence - 1 if final else None,
            ]

    return _Sheet("日结与交款", CLOSE_COLUMNS, rows())


# --- history -------------------------------------------------------------------------------

# (model, sheet title, the history table's lookup that names the object)
HISTORY_MODELS = [
    (Receipt, "收据", "number"),
    (DailyClose, "日结", "business_date"),
    # A close's figures: a row per payment method, named in each change.
    (DailyCloseMethod, "日结分付款方式", "close__business_date"),
    (Handover, "交款", "day__business_date"),
    (Discrepancy, "交款差异", "handover__day__business_date"),
    (Permit, "出入证", "number"),
    (Charge, "应收款", "description"),
]
HISTORY_COLUMNS = [
    Column("时间", "datetime"),
    Column("操作人", width=12),
    Column("操作", width=8),
    Column("记录号", "int", total=False),
    Column("对象", width=20),
    Column("原因", width=24),
    Column("变更内容", width=80),
]
CHANGE_KINDS = {"+": "新建", "~": "修改", "-": "删除"}
# Longer cells are cut: Excel holds at most 32,767 characters in one.
MAX_CELL = 32000


def _history_sheets(period: Period) -> list[_Sheet]:
    users = {user.pk: person_name(user) for user in get_user_model().objects.all()}
    return [
        _Sheet(title, HISTORY_COLUMNS, _history_rows(model, label, period, users))
        for model, title, label in HISTORY_MODELS
    ]


def _history_rows(model, label: str, period: Period, users: dict[int, str]):
    """One row per historical record made in the period, with the fields it changed
    against the object's previous record (which may be older than the period).

    Consecutive periods' packs thus hold every change exactly once."""
    historical = model.history.model
    changed = historical.objects.filter(history_date__gte=period.start, history_date__lt=period.end)
    records = (
        historical.objects.filter(id__in=changed.values("id"), history_date__lt=period.end)
        .annotate(object_label=F(label))
        .order_by("id", "history_date", "history_id")
    )
    previous = None
    for record in records.iterator(chunk_size=2000):
        before = previous if previous is not None and previous.id == record.id else None
        previous = record
        if record.history_date < period.start:
            continue
        changes = ""
        if model is DailyCloseMethod:  # its created rows' figures too, by method
            changes = "；".join(f"{c[0]}：{c[1]} → {c[2]}" for c in figure_changes(record, before))
        elif before is not None:
            changes = "；".join(
                f"{_field_label(model, c.field)}：{_value(model, c.field, c.old, users)} → "
                f"{_value(model, c.field, c.new, users)}"
                for c in record.diff_against(before).changes
            )
        yield [
            record.history_date,
            users.get(record.history_user_id, ""),
            CHANGE_KINDS.get(record.history_type, record.history_type),
            record.id,
            str(record.object_label),
            _reason(record.history_change_reason or ""),
            changes[:MAX_CELL],
        ]


def _reason(reason: str) -> str:
    """Services store reasons as English message ids with an optional free-text tail."""
    head, sep, tail = reason.partition(": ")
    return gettext(head) + sep + tail if head else ""


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _value(model, name: str, value, users: dict[int, str]) -> str:
    field = model._meta.get_field(name)
    if isinstance(field, models.ForeignKey) and value not in (None, ""):
        if field.related_model is get_user_model():
            return users.get(value, str(value))
        return f"#{value}"
    # As on the pages: money as ¥, counts and figures by method readably, choices by label.
    return display_value(model, name, value)
