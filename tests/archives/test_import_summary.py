"""The tenant summary (业户基本情况汇总表) as Excel: headers, values, masking, roles."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from archives.models import OccupancyRole, TenantKind, UnitStatus
from config.exporters import exporter
from tests.factories.archives import OccupancyFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "单元编号",
    "区/楼层",
    "面积(m²)",
    "单元状态",
    "业户名称",
    "业户类型",
    "统一社会信用代码",
    "联系人",
    "手机",
    "租期开始",
    "租期结束",
    "经营业态",
]


@pytest.fixture
def let_units():
    shop = OccupancyFactory(
        unit=UnitFactory(
            code="A-1-05", area=Decimal("45.50"), status=UnitStatus.OCCUPIED, business="餐饮"
        ),
        tenant=TenantFactory(
            name='=HYPERLINK("http://x")',
            credit_code="91350100M000100Y43",
            contact_name="林小红",
            phone="13812345678",
        ),
        role=OccupancyRole.LESSEE,
        moved_in_on=date(2025, 3, 1),
        lease_ends_on=date(2028, 2, 29),
    )
    OccupancyFactory(
        unit=UnitFactory(code="B-2-112", area=Decimal("120.00"), status=UnitStatus.DECORATING),
        tenant=TenantFactory(
            name="陈大文", kind=TenantKind.PERSON, credit_code="", contact_name="陈大文"
        ),
        moved_in_on=date(2024, 7, 1),
    )
    # Not in the summary: a vacant unit, and a tenancy handed over.
    UnitFactory(code="A-1-06")
    OccupancyFactory(
        unit=UnitFactory(code="A-1-07"),
        moved_in_on=date(2020, 1, 1),
        handed_over_on=date(2024, 1, 1),
    )
    return shop


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def test_the_summary_has_one_row_per_current_occupancy(client_as, manager, let_units):
    ws = sheet(client_as(manager).get(reverse("archives:tenant_summary_xlsx")))

    assert ws.title == "业户基本情况汇总表"
    assert [cell.value for cell in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:L3"
    assert ws.max_row == 3
    assert [cell.value for cell in ws[2]] == [
        "A-1-05",
        "A区1层",
        45.5,
        "已入住",
        '=HYPERLINK("http://x")',
        "企业",
        "91350100M000100Y43",
        "林小红",
        "13812345678",
        datetime(2025, 3, 1),
        datetime(2028, 2, 29),
        "餐饮",
    ]
    # Text that looks like a formula stays text.
    assert ws.cell(2, 5).data_type == "s"
    assert ws.cell(2, 3).number_format == "#,##0.00"
    assert ws.cell(2, 10).number_format == "yyyy-mm-dd"
    row = [cell.value for cell in ws[3]]
    assert row[:6] == ["B-2-112", "B区2层", 120, "装修中", "陈大文", "个人"]
    assert (row[6], row[10], row[11]) == (None, None, None)


def test_a_role_that_may_not_see_mobiles_whole_gets_them_masked(client_as, auditor, let_units):
    ws = sheet(client_as(auditor).get(reverse("archives:tenant_summary_xlsx")))

    assert ws.cell(2, 9).value == "138****5678"


def test_the_assistant_sees_mobiles_whole(client_as, assistant, let_units):
    ws = sheet(client_as(assistant).get(reverse("archives:tenant_summary_xlsx")))

    assert ws.cell(2, 9).value == "13812345678"


def test_a_department_may_not_download_it(client_as, department, let_units):
    response = client_as(department).get(reverse("archives:tenant_summary_xlsx"))

    assert response.status_code == 403


def test_the_summary_is_registered_where_exports_are(client_as, manager):
    report = exporter("tenant_summary_xlsx")

    assert report.permission == "archives.view_tenant"
    response = client_as(manager).get(reverse("export", args=["tenant_summary_xlsx"]))
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]


def test_its_queries_do_not_grow_with_rows(let_units, manager, django_assert_num_queries):
    report = exporter("tenant_summary_xlsx")
    report.content({"by": manager})  # the user's permissions read once, as in a request
    with django_assert_num_queries(1):
        first = report.content({"by": manager})
    OccupancyFactory.create_batch(3)
    with django_assert_num_queries(1):
        second = report.content({"by": manager})
    assert len(second) > len(first)
