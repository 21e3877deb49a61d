"""The monthly case statistics as Excel and PDF: the same figures as the page
(complaints.selectors.statistics), for the manager and the auditor.

The month's parameter form is declared here, as fees' exporters declare theirs: the page
asks for the month with the same form."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from complaints.selectors.statistics import MonthStatistics, Tally, month_statistics
from config.dates import earliest_record_date
from config.excel import Column, Sheet, streamed_workbook
from config.exporters import MonthFileExporter, register
from config.fields import YearMonthField
from config.forms import BootstrapMixin
from config.pdf import render_pdf

PERMISSION = "complaints.view_statistics"


def previous_month(today: date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


class StatisticsMonthForm(BootstrapMixin, forms.Form):
    """A calendar month that has begun, as year-month."""

    month = YearMonthField()

    def clean_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"]
        today = timezone.localdate()
        if date(year, month, 1) > today:
            raise forms.ValidationError(
                _("%(month)s has not begun yet: choose %(this)s or an earlier month."),
                params={"month": f"{year}-{month:02d}", "this": f"{today:%Y-%m}"},
            )
        first = earliest_record_date().replace(day=1)
        if date(year, month, 1) < first:
            raise forms.ValidationError(
                _("The records begin in %(first)s: choose that month or a later one."),
                params={"first": f"{first:%Y-%m}"},
            )
        return year, month


def report_title(stats: MonthStatistics) -> str:
    return _("Case statistics %(month)s") % {"month": stats.label}


def fraction(share: Decimal | None) -> Decimal | None:
    """A percentage as Excel's percent cells hold it (33.3 → 0.333)."""
    return None if share is None else share / 100


def summary_rows(stats: MonthStatistics) -> list[list]:
    """(figure, cases, average, median, share in percent): the headline figures."""
    return [
        [_("Cases received"), stats.total, None, None, None],
        [
            _("Time to first response (business hours)"),
            stats.response.cases,
            stats.response.average,
            stats.response.median,
            None,
        ],
        [
            _("Time to resolution (business hours)"),
            stats.resolution.cases,
            stats.resolution.average,
            stats.resolution.median,
            None,
        ],
        [_("Cases resolved"), stats.resolved, None, None, None],
        [
            _("Resolved within the service level"),
            stats.within_service_level,
            None,
            None,
            stats.service_level_share,
        ],
        [
            _("Resolved cases called back"),
            stats.called_back,
            None,
            None,
            stats.callback_rate,
        ],
        [
            _("Callbacks (satisfaction 1–5)"),
            stats.callbacks,
            stats.average_satisfaction,
            None,
            None,
        ],
        [_("Repeat complaints"), len(stats.repeats), None, None, None],
    ]


def _tally_rows(tallies: list[Tally]):
    return ([row.label, row.count, fraction(row.share)] for row in tallies)


def _tally_sheet(
    title: str, header: str, tallies: list[Tally], *, totals: bool = True, counted: str = ""
) -> Sheet:
    return Sheet(
        title,
        [
            Column(header, width=24),
            Column(counted or _("cases"), "int", total=totals),
            Column(_("share"), "percent", total=False),
        ],
        _tally_rows(tallies),
        totals=_("Total") if totals else None,
    )


def statistics_xlsx(stats: MonthStatistics) -> bytes:
    cases = _("cases")
    return streamed_workbook(
        Sheet(
            _("Summary"),
            [
                Column(_("figure"), width=36),
                Column(cases, "int", total=False),
                Column(_("average"), "money", total=False),
                Column(_("median"), "money", total=False),
                Column(_("share"), "percent", total=False),
            ],
            ([*row[:4], fraction(row[4])] for row in summary_rows(stats)),
        ),
        _tally_sheet(_("By kind"), _("kind"), stats.by_kind),
        Sheet(
            _("By category"),
            [
                Column(_("category"), width=20),
                Column(_("sub-category"), width=20),
                Column(cases, "int", total=True),
                Column(_("share"), "percent", total=False),
            ],
            ([row.top, row.sub, row.count, fraction(row.share)] for row in stats.by_category),
            totals=_("Total"),
        ),
        _tally_sheet(_("By department"), _("department"), stats.by_department),
        _tally_sheet(_("By channel"), pgettext("case", "channel"), stats.by_channel),
        _tally_sheet(
            _("Satisfaction"), _("satisfaction"), stats.satisfaction, counted=_("callbacks")
        ),
        Sheet(
            _("Repeat complaints"),
            [
                Column(_("case"), width=12),
                Column(_("received at"), "datetime"),
                Column(_("unit")),
                Column(_("category"), width=24),
                Column(_("earlier case"), width=12),
                Column(_("earlier received at"), "datetime"),
            ],
            (
                [
                    row.case.number,
                    row.case.received_at,
                    row.case.unit.code,
                    str(row.case.category),
                    row.earlier_number,
                    row.earlier_at,
                ]
                for row in stats.repeats
            ),
        ),
        _tally_sheet(_("Hotspot units"), _("unit"), stats.hot_units, totals=False),
        _tally_sheet(_("Hotspot categories"), _("category"), stats.hot_categories, totals=False),
    )


def _largest(tallies: list[Tally]) -> int:
    return max((row.count for row in tallies), default=0) or 1


def statistics_pdf(stats: MonthStatistics) -> bytes:
    breakdowns = {
        "kind": stats.by_kind,
        "channel": stats.by_channel,
        "department": stats.by_department,
        "satisfaction": stats.satisfaction,
        "units": stats.hot_units,
        "categories": stats.hot_categories,
    }
    return render_pdf(
        "complaints/pdf/statistics.html",
        {
            "title": report_title(stats),
            "stats": stats,
            "summary": summary_rows(stats),
            "largest": {name: _largest(rows) for name, rows in breakdowns.items()},
        },
    )


class StatisticsReport(MonthFileExporter):
    """A month's statistics as one file."""

    code = "case_statistics"
    title = gettext_lazy("Case statistics")
    permission = PERMISSION
    form_class = StatisticsMonthForm

    def xlsx(self, year: int, month: int) -> bytes:
        return statistics_xlsx(month_statistics(year, month))

    def pdf(self, year: int, month: int) -> bytes:
        return statistics_pdf(month_statistics(year, month))


register(StatisticsReport("xlsx"))
register(StatisticsReport("pdf"))
