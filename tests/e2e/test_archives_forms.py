"""Creating a unit and a tenant through the forms, as the assistant does at the desk."""

import re

import pytest
from playwright.sync_api import expect
from stdnum.cn import ric, uscc

from archives.models import AccessLog, Tenant, Unit
from config.people import person_name
from tests.e2e.audit import login, submit, visit

pytestmark = pytest.mark.e2e

RESIDENT_ID_BODY = "33010619850612123"  # Hangzhou Xihu, born 1985-06-12
CREDIT_CODE_BODY = "91330106MA2B3C4D5"


def good(body: str, check_char: str) -> str:
    return body + check_char


def with_wrong_check(body: str, check_char: str) -> str:
    """The same number with a check character that cannot be right."""
    wrong = "1" if check_char != "1" else "2"
    return body + wrong


def expect_field_error(page, field: str) -> None:
    """The error is shown under the field, tied to it for screen readers."""
    expect(page.locator(f"#id_{field}_error")).to_be_visible()
    expect(page.locator(f"#id_{field}_error")).not_to_be_empty()
    expect(page.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#id_{field}")).to_have_attribute("aria-describedby", f"id_{field}_error")


def expect_created_history(page, who: str) -> None:
    rows = page.locator("section[aria-labelledby='history-title'] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(1)).to_have_text(who)


def test_create_unit(page, staff):
    login(page, "assistant")
    visit(page, "/archives/units/new/")

    page.fill("#id_code", "abc")
    page.fill("#id_area", "36.50")
    submit(page)
    assert page.url.endswith("/archives/units/new/")
    expect_field_error(page, "code")
    expect(page.locator("#id_area")).not_to_have_attribute("aria-invalid", "true")
    assert Unit.objects.count() == 0

    page.fill("#id_code", "b-2-07")  # typed in lower case; the desk stores capitals
    page.select_option("#id_status", "vacant")
    page.fill("#id_business", "茶叶")
    submit(page)

    unit = Unit.objects.get()
    assert (unit.code, unit.block, unit.floor, str(unit.area)) == ("B-2-07", "B", 2, "36.50")
    assert page.url.endswith(f"/archives/units/{unit.pk}/")
    expect(page.locator("h1")).to_contain_text("B-2-07")
    expect(page.locator("dl.record")).to_contain_text("茶叶")
    expect_created_history(page, person_name(staff["assistant"]))


def test_create_tenant(page, staff):
    resident_id = good(RESIDENT_ID_BODY, ric.calc_check_digit(RESIDENT_ID_BODY))
    credit_code = good(CREDIT_CODE_BODY, uscc.calc_check_digit(CREDIT_CODE_BODY))
    login(page, "assistant")
    visit(page, "/archives/tenants/new/")

    page.select_option("#id_kind", "company")
    page.fill("#id_name", "杭州西湖茶叶有限公司")
    page.fill("#id_credit_code", with_wrong_check(CREDIT_CODE_BODY, credit_code[-1]))
    page.fill("#id_contact_name", "张伟")
    page.select_option("#id_id_doc_type", "resident_id")
    page.fill("#id_id_number", with_wrong_check(RESIDENT_ID_BODY, resident_id[-1]))
    page.fill("#id_phone", "1381234567")  # ten digits
    submit(page)
    assert page.url.endswith("/archives/tenants/new/")
    for field in ("credit_code", "id_number", "phone"):
        expect_field_error(page, field)
    expect(page.locator("#id_name")).not_to_have_attribute("aria-invalid", "true")
    assert Tenant.objects.count() == 0

    page.fill("#id_credit_code", credit_code)
    page.fill("#id_id_number", resident_id)
    page.fill("#id_phone", "138 1234 5678")  # spaces as people write them
    submit(page)

    tenant = Tenant.objects.get()
    assert (tenant.credit_code, tenant.id_number, tenant.phone) == (
        credit_code,
        resident_id,
        "13812345678",
    )
    assert page.url.endswith(f"/archives/tenants/{tenant.pk}/")
    expect(page.locator("h1")).to_contain_text("杭州西湖茶叶有限公司")
    record = page.locator("dl.record")
    expect(record).to_contain_text(credit_code)
    expect(record).to_contain_text("13812345678")
    # The ID number is shown masked, never whole.
    expect(record).to_contain_text(resident_id[:6] + "********" + resident_id[-4:])
    expect(record).not_to_contain_text(re.compile(re.escape(resident_id)))
    expect_created_history(page, person_name(staff["assistant"]))

    # The desk may show it whole to check a card: on a page of its own, once recorded.
    submit(page, "#reveal-id")
    expect(page.locator("#whole-id")).to_have_text(resident_id)
    entry = AccessLog.objects.get()
    assert (entry.user, entry.record, entry.page) == (
        staff["assistant"],
        tenant,
        f"/archives/tenants/{tenant.pk}/id-number/",
    )
