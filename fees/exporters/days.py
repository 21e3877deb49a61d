"""A period's daily closes: the handover slips (one a page, in one PDF) and the closes and
handovers in Excel. Both are sections of the audit pack."""

from decimal import Decimal

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from config.excel import XLSX_CONTENT_TYPE, Column, Sheet, streamed_workbook
from config.exporters import Period, register
from config.money import ZERO
from config.pdf import render_pdf
from config.people import person_name
from fees.enums import DayState
from fees.exporters.audit_pack import PeriodSection
from fees.models import DailyClose
from fees.selectors.days import closes_between, final_counts, slip_context

# Slips per WeasyPrint document (a slip is about two receipt pages of work).
SLIP_PART = 31


# --- the handover slips --------------------------------------------------------------------


class HandoverSlips(PeriodSection):
    name = "handover_slips"
    label = format_lazy("{} (PDF)", gettext_lazy("Handover slips"))
    content_type = "application/pdf"
    stem, extension = "handover_slips", "pdf"
    pack_order = 20

    def pack_part(self, period: Period) -> "HandoverSlipsPart":
        return HandoverSlipsPart(period)


class HandoverSlipsPart:
    """handover_slips.pdf: the slip of every approved or handed-over day of the period."""

    COST = 2.0  # a slip, in receipt pages

    def __init__(self, period: Period):
        self.period = period
        self.days = list(
            DailyClose.objects.filter(
                business_date__range=(period.date_from, period.date_to),
                state__in=[DayState.APPROVED, DayState.HANDED_OVER],
            )
            .order_by("business_date")
            .values_list("pk", flat=True)
        )
        self.cost = len(self.days) * self.COST

    def write(self, pack) -> None:
        pack.say(gettext_lazy("Handover slips"))
        pack.joined_pdf("handover_slips.pdf", "交款单", self._parts(pack), "本期间没有已审核的日结")

    def _parts(self, pack):
        total = len(self.days)
        for first in range(0, total, SLIP_PART):
            days = DailyClose.objects.filter(pk__in=self.days[first : first + SLIP_PART])
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
            pack.advance(
                len(slips) * self.COST,
                format_lazy(
                    gettext_lazy("Handover slips: {done} of {total}"),
                    done=first + len(slips),
                    total=total,
                ),
            )

    def summary(self) -> str:
        return f"交款单 {len(self.days)} 份"


# --- the closes in Excel -------------------------------------------------------------------

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


class DailyCloses(PeriodSection):
    name = "daily_closes"
    label = gettext_lazy("Daily closes and handovers")
    content_type = XLSX_CONTENT_TYPE
    stem, extension = "daily_closes", "xlsx"
    pack_order = 40

    def pack_part(self, period: Period) -> "DailyClosesPart":
        return DailyClosesPart(period)


def _figures_total(values: dict[str, Decimal]) -> Decimal | None:
    return sum(values.values(), ZERO) if values else None


class DailyClosesPart:
    """daily_closes.xlsx: a row per day with a close: expected, counted, handed over."""

    cost = 0.0  # a row a day: next to nothing

    def __init__(self, period: Period):
        self.period = period

    def write(self, pack) -> None:
        sheet = Sheet("日结与交款", CLOSE_COLUMNS, self._rows())
        pack.add("daily_closes.xlsx", streamed_workbook(sheet))

    def _rows(self):
        closes = closes_between(self.period.date_from, self.period.date_to)
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

    def summary(self) -> str:
        return ""


register(HandoverSlips())
register(DailyCloses())
