"""The access log (档案查阅登记) of a period as Excel, for the auditor: every line, with who
was shown what of whose record, the tenant file and document, and the permission (查阅
登记) it was read under. Headers in Chinese whatever the reader's language; the log's
kinds in the centre's language too."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from archives.models import AccessKind
from archives.selectors.access import access_log_rows, of_file_number, people_in_the_log
from config.excel import XLSX_CONTENT_TYPE, Column, Sheet, streamed_workbook
from config.exporters import Exporter, Period, Progress, no_progress, register
from config.forms import DatePeriodForm
from config.people import PersonChoiceField, person_name

TITLE = "档案查阅登记"
MAX_PERIOD_DAYS = 366
COLUMNS = [
    Column("时间", "datetime"),
    Column("查阅人", width=12),
    Column("查阅内容", width=22),
    Column("对象", width=30),
    Column("档号", width=14),
    Column("文件", width=24),
    Column("查阅登记号", "int", width=10),
    Column("页面", width=36),
]


class AccessLogPeriodForm(DatePeriodForm):
    max_days = MAX_PERIOD_DAYS
    user = PersonChoiceField(label=gettext_lazy("shown to"), queryset=None, required=False)
    file = forms.CharField(label=gettext_lazy("file number"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people_in_the_log()


class AccessLogXlsx(Exporter):
    name = "access_log_xlsx"
    label = format_lazy("{} (Excel)", gettext_lazy("Access log"))
    permission = "archives.view_accesslog"
    form_class = AccessLogPeriodForm
    content_type = XLSX_CONTENT_TYPE

    def filename(self, params: dict) -> str:
        return f"{TITLE} {params['date_from']:%Y-%m-%d}_{params['date_to']:%Y-%m-%d}.xlsx"

    def lines(self, params: dict):
        period = Period(params["date_from"], params["date_to"])
        lines = access_log_rows().filter(at__gte=period.start, at__lt=period.end)
        if params.get("user"):
            lines = lines.filter(user=params["user"])
        if params.get("file"):
            lines = of_file_number(lines, params["file"])
        return lines.order_by("at", "pk")

    def rows(self, params: dict):
        kinds = {value: str(label) for value, label in AccessKind.choices}
        for line in self.lines(params).iterator(chunk_size=2000):
            yield [
                line.at,
                person_name(line.user),
                kinds.get(line.kind, line.kind),
                line.subject,
                line.file.number if line.file else "",
                line.document.title if line.document else "",
                line.access_request_id,
                line.page,
            ]

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            out.write(streamed_workbook(Sheet(TITLE, COLUMNS, self.rows(params))))


register(AccessLogXlsx())
