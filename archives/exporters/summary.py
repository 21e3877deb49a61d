"""The tenant summary (业户基本情况汇总表) as Excel: one row per current occupancy.

A document of the centre's file, so its headers are Chinese whatever the reader's language.
Mobile numbers are written whole only for a reader who may see them whole
(config.privacy), masked for the others; ID numbers are not in it."""

from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from archives.selectors.summary import current_occupancies
from config.excel import XLSX_CONTENT_TYPE, Column, add_table_sheet, workbook_bytes
from config.exporters import Exporter, Progress, no_progress, register
from config.privacy import mobile_for

TITLE = "业户基本情况汇总表"
COLUMNS = [
    Column("单元编号"),
    Column("区/楼层", width=10),
    Column("面积(m²)", "money", total=False),
    Column("单元状态", width=10),
    Column("业户名称", width=28),
    Column("业户类型", width=10),
    Column("统一社会信用代码", width=22),
    Column("联系人"),
    Column("手机", width=14),
    Column("租期开始", "date"),
    Column("租期结束", "date"),
    Column("经营业态", width=16),
]


class TenantSummaryXlsx(Exporter):
    name = "tenant_summary_xlsx"
    label = format_lazy("{} (Excel)", gettext_lazy("Tenant summary"))
    permission = "archives.view_tenant"
    content_type = XLSX_CONTENT_TYPE

    def filename(self, params: dict) -> str:
        return f"{TITLE} {timezone.localdate():%Y-%m-%d}.xlsx"

    def rows(self, user):
        for occupancy in current_occupancies():
            unit, tenant = occupancy.unit, occupancy.tenant
            yield [
                unit.code,
                f"{unit.block}区{unit.floor}层",
                unit.area,
                str(unit.get_status_display()),
                tenant.name_for(user),
                str(tenant.get_kind_display()),
                tenant.credit_code,
                tenant.contact_name,
                mobile_for(user, tenant.phone),
                occupancy.moved_in_on,
                occupancy.lease_ends_on,
                unit.business,
            ]

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        wb = Workbook()
        with translation.override("zh-hans"):  # the statuses and kinds as the headers read
            rows = list(self.rows(params["by"]))
        add_table_sheet(wb, TITLE, COLUMNS, rows)
        out.write(workbook_bytes(wb))


register(TenantSummaryXlsx())
