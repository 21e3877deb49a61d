"""The ageing of charges and the dunning list (应收款账龄及催收报告), as Excel and PDF.

Unlike the statement, this report follows the reader's language (Chinese unless the user
chose English): it is a working list, not a document for the record.
"""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from config.excel import XLSX_CONTENT_TYPE, Column, add_table_sheet, workbook_bytes, write_cell
from config.exporters import Exporter, Progress, no_progress, register
from config.pdf import render_pdf
from fees.selectors.charges import BUCKET_LABELS, dunning_list, sorted_ageing


class AgeingSortForm(forms.Form):
    """The order of the ageing's rows (fees.selectors.charges.AGEING_SORTS); an unknown one
    falls back to the default rather than failing a download."""

    sort = forms.CharField(required=False)


def report_title(today) -> str:
    return _("Ageing and dunning report %(date)s") % {"date": today.isoformat()}


class AgeingReport(Exporter):
    """The ageing as of today, its rows in the page's order (?sort=)."""

    permission = "fees.view_charge"
    form_class = AgeingSortForm

    def filename(self, params: dict) -> str:
        return f"{report_title(timezone.localdate())}.{self.extension}"


class AgeingXlsx(AgeingReport):
    name = "charge_ageing_xlsx"
    label = format_lazy("{} (Excel)", gettext_lazy("Ageing list"))
    content_type = XLSX_CONTENT_TYPE
    extension = "xlsx"

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        report = sorted_ageing(timezone.localdate(), params.get("sort"))
        wb = Workbook()
        columns = [Column(_("tenant"), width=28)]
        columns += [Column(str(label), "money") for label in BUCKET_LABELS]
        columns += [Column(_("Total"), "money")]
        rows = [[r.tenant_name, *r.buckets, r.total] for r in report.rows]
        ws = add_table_sheet(wb, _("Ageing"), columns, rows)
        # The totals as numbers, not formulas: a reader without a spreadsheet engine (or a
        # script) sees the same figures as the page.
        totals_row = ws.max_row + 1
        write_cell(ws.cell(totals_row, 1), _("Total"))
        for index, value in enumerate([*report.totals, report.total], start=2):
            write_cell(ws.cell(totals_row, index), value, "money")
        add_table_sheet(wb, _("Dunning"), self.dunning_columns(), self.dunning_rows(report.today))
        out.write(workbook_bytes(wb))

    @staticmethod
    def dunning_columns() -> list[Column]:
        return [
            Column(_("tenant"), width=28),
            Column(_("unit")),
            Column(_("fee")),
            Column(_("description"), width=30),
            Column(_("due on"), "date"),
            Column(_("days overdue"), "int"),
            Column(_("outstanding"), "money"),
            Column(_("last dunning"), "date"),
            Column(_("channel")),
            Column(_("contact")),
            Column(_("result"), width=36),
            Column(_("promised payment date"), "date"),
            Column(_("dunning notes"), "int"),
        ]

    @staticmethod
    def dunning_rows(today) -> list[list]:
        rows = []
        for charge in dunning_list(today):
            last = charge.notes[0] if charge.notes else None
            rows.append(
                [
                    charge.tenant.name,
                    charge.unit.code if charge.unit else "",
                    charge.fee_type.name,
                    charge.description,
                    charge.due_on,
                    charge.days_overdue,
                    charge.outstanding,
                    last and last.noted_on,
                    last and last.get_channel_display(),
                    last and last.contact,
                    last and last.result,
                    last and last.promised_on,
                    len(charge.notes),
                ]
            )
        return rows


class AgeingPdf(AgeingReport):
    name = "charge_ageing_pdf"
    label = format_lazy("{} (PDF)", gettext_lazy("Ageing list"))
    content_type = "application/pdf"
    extension = "pdf"

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        report = sorted_ageing(timezone.localdate(), params.get("sort"))
        pdf = render_pdf(
            "fees/charges/ageing_pdf.html",
            {
                "title": report_title(report.today),
                "ageing": report,
                "labels": BUCKET_LABELS,
                "charges": dunning_list(report.today),
                "signature_roles": [_("Prepared by"), _("Checked by")],
            },
        )
        out.write(pdf)


register(AgeingXlsx())
register(AgeingPdf())
