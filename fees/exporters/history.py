"""A period's changes to the money records (history.xlsx of the audit pack): who changed
what, when and why, a sheet per kind of record (config.history reads the history tables)."""

from django.utils.translation import gettext_lazy

from config.excel import XLSX_CONTENT_TYPE, streamed_workbook
from config.exporters import Period, register
from config.history import history_sheets
from fees.exporters.audit_pack import PeriodSection
from fees.history import figure_changes
from fees.models import (
    Charge,
    DailyClose,
    DailyCloseMethod,
    Discrepancy,
    Handover,
    Permit,
    Receipt,
)
from fees.selectors.statements import period_receipts

# (model, sheet title, the history table's lookup that names the object[, its changes])
HISTORY_MODELS = [
    (Receipt, "收据", "number"),
    (DailyClose, "日结", "business_date"),
    # A close's figures: a row per payment method, named in each change, created ones too.
    (DailyCloseMethod, "日结分付款方式", "close__business_date", figure_changes),
    (Handover, "交款", "day__business_date"),
    (Discrepancy, "交款差异", "handover__day__business_date"),
    (Permit, "出入证", "number"),
    (Charge, "应收款", "description"),
]


class ChangeHistory(PeriodSection):
    name = "change_history"
    label = gettext_lazy("History of changes")
    content_type = XLSX_CONTENT_TYPE
    stem, extension = "history", "xlsx"
    pack_order = 50

    def pack_part(self, period: Period) -> "ChangeHistoryPart":
        return ChangeHistoryPart(period)


class ChangeHistoryPart:
    # Of a receipt page, per receipt: the changes grow with the receipts.
    COST = 0.05

    def __init__(self, period: Period):
        self.period = period
        self.cost = period_receipts(period.date_from, period.date_to).count() * self.COST

    def write(self, pack) -> None:
        sheets = history_sheets(HISTORY_MODELS, self.period.start, self.period.end)
        pack.add("history.xlsx", streamed_workbook(*sheets))
        pack.advance(self.cost)

    def summary(self) -> str:
        return ""


register(ChangeHistory())
