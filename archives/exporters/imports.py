"""The template of the day-one import (导入模板): the columns archives.services.imports
reads, with a sheet that says how to fill them in. Identifiers and mobile numbers are
text columns, so that Excel keeps an 18-digit ID number whole."""

from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from archives.models import OccupancyRole, TenantKind, UnitStatus
from archives.services import imports as rows
from config.excel import XLSX_CONTENT_TYPE, Column, add_table_sheet, workbook_bytes
from config.exporters import Exporter, Progress, no_progress, register

TITLE = "业户导入模板"
TEXT_COLUMNS = {rows.UNIT_CODE, rows.CREDIT_CODE, rows.ID_NUMBER, rows.PHONE}
NOTES = [
    (rows.UNIT_CODE, "必填。区-层-号，如 A-1-05；每个单元一行。"),
    (rows.AREA, "新单元必填（平方米）；已登记的单元留空则不变。"),
    (rows.STATUS, "可留空。{}。"),
    (rows.BUSINESS, "可留空；留空则不变。"),
    (rows.NAME, "单元有业户时填写；空置单元的业户各列留空。"),
    (rows.KIND, "{}。"),
    (rows.CREDIT_CODE, "企业必填（18位）；企业按此代码识别，已登记的企业将更新。"),
    (rows.CONTACT, "企业必填；个人留空则为本人。"),
    (rows.ID_NUMBER, "个人必填（18位居民身份证号码）；个人按此号码识别。"),
    (rows.PHONE, "必填，11位手机号码。"),
    (rows.ROLE, "可留空（默认承租人）。{}。"),
    (rows.LEASE_START, "新入住必填，日期，如 2025-03-01。"),
    (rows.LEASE_END, "可留空。"),
]


def _labels(enum) -> str:
    with translation.override("zh-hans"):
        return "、".join(str(label) for label in enum.labels)


class ImportTemplateXlsx(Exporter):
    name = "register_import_template"
    label = format_lazy("{} (Excel)", gettext_lazy("Import template"))
    permission = rows.PERMISSION
    content_type = XLSX_CONTENT_TYPE

    def filename(self, params: dict) -> str:
        return f"{TITLE}.xlsx"

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        wb = Workbook()
        columns = [
            Column(header, width=22 if header in TEXT_COLUMNS else None) for header in rows.COLUMNS
        ]
        ws = add_table_sheet(wb, "业户", columns, [])
        for index, header in enumerate(rows.COLUMNS, start=1):
            if header in TEXT_COLUMNS:
                # Typed values stay text: Excel would round an 18-digit number.
                for row in range(2, 1002):
                    ws.cell(row=row, column=index).number_format = "@"
        choices = {rows.STATUS: UnitStatus, rows.KIND: TenantKind, rows.ROLE: OccupancyRole}
        notes = [
            [header, text.format(_labels(choices[header])) if header in choices else text]
            for header, text in NOTES
        ]
        add_table_sheet(wb, "填写说明", [Column("列", width=18), Column("说明", width=70)], notes)
        out.write(workbook_bytes(wb))


register(ImportTemplateXlsx())
