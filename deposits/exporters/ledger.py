"""The deposit ledger (保证金台账) as Excel and PDF: what is held by unit and age with its
totals, the refunds waiting and the open gates with their clocks, the dormant deposits.

Like the ageing of charges, a working list in the reader's language. The Excel file lists
every row; its totals are numbers (not formulas), the same figures as the page."""

from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.excel import XLSX_CONTENT_TYPE, Column, Sheet, streamed_workbook
from config.exporters import Exporter, Progress, no_progress, register
from config.pdf import render_pdf
from deposits.selectors import ledger as selectors


def report_title(today) -> str:
    return _("Deposit ledger %(date)s") % {"date": today.isoformat()}


class LedgerReport(Exporter):
    """The ledger as of today."""

    permission = "deposits.view_deposit"
    extension = ""

    def filename(self, params: dict) -> str:
        return f"{report_title(timezone.localdate())}.{self.extension}"


def unit_rows(ledger):
    for row in ledger.rows:
        yield [row.unit, *row.buckets, row.total, row.count]
    yield [_("Total"), *ledger.totals, ledger.total, ledger.count]


def waiting_rows(today):
    for row in selectors.refunds_waiting(today):
        refund = row.refund
        yield [
            refund.pk,
            refund.unit_code,
            refund.deposit.get_kind_display(),
            refund.payee,
            refund.held,
            refund.deducted,
            refund.amount,
            refund.get_status_display(),
            row.step_since,
            row.days_at_step,
            row.clock.started_on,
            row.clock.working_days,
            _("late") if row.late else "",
        ]


def gate_rows(today):
    for row in selectors.gates_waiting(today).rows:
        deposit = row.deposit
        yield [
            deposit.pk,
            deposit.unit_code,
            deposit.get_kind_display(),
            deposit.payer_name,
            deposit.balance,
            row.clock.started_on,
            row.clock.working_days,
            _("late") if row.clock.late else "",
        ]


def dormant_rows(today):
    for deposit in selectors.dormant_deposits(today):
        yield [
            deposit.pk,
            deposit.application.number,
            deposit.unit_code,
            deposit.payer_name,
            deposit.balance,
            deposit.accepted_on,
            selectors.dormant_days(deposit, today),
        ]


class LedgerXlsx(LedgerReport):
    name = "deposit_ledger_xlsx"
    label = format_lazy("{} (Excel)", gettext_lazy("Deposit ledger"))
    content_type = XLSX_CONTENT_TYPE
    extension = "xlsx"

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        today = timezone.localdate()
        ledger = selectors.deposit_ledger(today)
        units = [Column(_("unit"), width=14)]
        units += [Column(str(label), "money") for label in selectors.BUCKET_LABELS]
        units += [Column(_("Total"), "money"), Column(_("deposits"), "int")]
        clock = Column(_("refund clock (working days)"), "int")
        out.write(
            streamed_workbook(
                Sheet(_("Held by unit and age"), units, unit_rows(ledger)),
                Sheet(
                    _("Refunds waiting"),
                    [
                        Column(_("refund"), "int"),
                        Column(_("unit")),
                        Column(_("kind"), width=16),
                        Column(_("payee"), width=20),
                        Column(_("held"), "money"),
                        Column(_("deductions"), "money"),
                        Column(_("refund amount"), "money"),
                        Column(_("step"), width=16),
                        Column(_("at this step since"), "date"),
                        Column(_("working days at this step"), "int"),
                        Column(_("gate opened on"), "date"),
                        clock,
                        Column(_("late")),
                    ],
                    waiting_rows(today),
                ),
                Sheet(
                    _("Open gates, not requested"),
                    [
                        Column(_("deposit"), "int"),
                        Column(_("unit")),
                        Column(_("kind"), width=16),
                        Column(_("paid by"), width=20),
                        Column(_("balance"), "money"),
                        Column(_("gate opened on"), "date"),
                        clock,
                        Column(_("late")),
                    ],
                    gate_rows(today),
                ),
                Sheet(
                    _("Dormant deposits"),
                    [
                        Column(_("deposit"), "int"),
                        Column(_("decoration")),
                        Column(_("unit")),
                        Column(_("paid by"), width=20),
                        Column(_("balance"), "money"),
                        Column(_("accepted on"), "date"),
                        Column(_("days since"), "int"),
                    ],
                    dormant_rows(today),
                ),
            )
        )


class LedgerPdf(LedgerReport):
    name = "deposit_ledger_pdf"
    label = format_lazy("{} (PDF)", gettext_lazy("Deposit ledger"))
    content_type = "application/pdf"
    extension = "pdf"

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        today = timezone.localdate()
        dormant = selectors.dormant_deposits(today)
        out.write(
            render_pdf(
                "deposits/ledger/ledger_pdf.html",
                {
                    "title": report_title(today),
                    "ledger": selectors.deposit_ledger(today),
                    "labels": selectors.BUCKET_LABELS,
                    "waiting": selectors.refunds_waiting(today),
                    "gates": selectors.gates_waiting(today).rows,
                    "dormant": [(d, selectors.dormant_days(d, today)) for d in dormant],
                    "dormant_days": settings.DEPOSIT_DORMANT_DAYS,
                    "target": settings.REFUND_TARGET_WORKING_DAYS,
                    "signature_roles": [_("Prepared by"), _("Checked by")],
                },
            )
        )


register(LedgerXlsx())
register(LedgerPdf())
