"""In the browser, a figure the desk mistypes comes back with the rule under the field."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from archives.models import Unit
from fees.models import Charge
from tests.e2e.audit import login, submit, visit
from tests.factories.archives import OccupancyFactory

pytestmark = pytest.mark.e2e

MONEY_RULE_ZH = (
    "请输入 0.01 至 1000000.00 元的金额：只写数字，最多两位小数，不加逗号，例如 35 或 35.50。"
)


def expect_field_error(page, field: str, message: str) -> None:
    error = page.locator(f"#id_{field}_error")
    expect(error).to_have_text(message)
    expect(page.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")


def test_a_charge_with_an_exponent_and_a_far_due_date(page, staff):
    occupancy = OccupancyFactory()
    today = timezone.localdate()
    far = today + timedelta(days=800)
    login(page, "assistant")
    visit(page, "/fees/charges/new/")
    # A text input: the browser passes "1e3" as typed instead of reading it as 1000.
    amount = page.locator("#id_amount")
    expect(amount).to_have_attribute("type", "text")
    expect(amount).to_have_attribute("inputmode", "decimal")
    page.fill("#id_tenant", occupancy.tenant.name)
    page.select_option("#id_fee_type", index=1)
    page.fill("#id_description", "加班施工")
    amount.fill("1e3")
    page.fill("#id_due_on", far.isoformat())
    submit(page)
    expect_field_error(page, "amount", MONEY_RULE_ZH)
    latest = today + timedelta(days=731)
    expect_field_error(page, "due_on", f"请输入 2000-01-01 至 {latest} 之间的日期。")
    assert Charge.objects.count() == 0

    amount.fill("１２３")
    page.fill("#id_due_on", latest.isoformat())
    submit(page)
    expect_field_error(page, "amount", MONEY_RULE_ZH)
    assert Charge.objects.count() == 0

    page.fill("#id_amount", "35.5")
    submit(page)
    assert str(Charge.objects.get().amount) == "35.50"


def test_a_unit_area_with_full_width_digits(page, staff):
    login(page, "assistant")
    visit(page, "/archives/units/new/")
    page.fill("#id_code", "B-2-15")
    page.fill("#id_area", "８８.５")
    submit(page)
    expect_field_error(
        page,
        "area",
        "请输入 1.00 至 100000.00 平方米的面积：只写数字，最多两位小数，例如 85 或 85.50。",
    )
    assert Unit.objects.count() == 0
