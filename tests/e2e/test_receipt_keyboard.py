"""The receipt desk in Chromium with the keyboard only, and the public check page of a
receipt that is valid, void (the manager approved the void) or reversed (红冲)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from archives.models import UnitStatus
from config.permanence import maintenance
from fees.enums import DayState, ReceiptStatus
from fees.models import DailyClose, FeeType, Receipt
from fees.services.receipts import (
    LineInput,
    Payer,
    receipt_issue,
    receipt_request_void,
    receipt_reverse,
)
from tests.e2e import audit
from tests.e2e.audit import check, desk_context, login, navigate, submit, visit
from tests.factories.archives import OccupancyFactory, UnitFactory

pytestmark = pytest.mark.e2e


def focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def press(page, *keys):
    for key in keys:
        page.keyboard.press(key)


def assert_nothing_issued(page):
    """Enter was pressed: still the form, no confirmation, no receipt."""
    page.wait_for_timeout(500)  # time enough for a submission to have started
    assert page.url.endswith("/fees/receipts/new/")
    expect(page.locator("#confirm-modal")).to_be_hidden()
    assert Receipt.objects.count() == 0


def test_a_receipt_entered_with_the_keyboard_only(page, staff):
    unit = UnitFactory(code="A-1-05", business="药店", status=UnitStatus.OCCUPIED)
    tenant = OccupancyFactory(unit=unit, tenant__name="毕博诚传媒有限公司").tenant
    login(page, "assistant")
    navigate(page, lambda: page.click("#home-issue-receipt"))

    # The first field has the focus; the unit code shows its unit and tenant as it is typed.
    assert focused(page) == "id_payer_kind"
    press(page, "Tab")
    page.keyboard.type("a-1-05")
    expect(page.locator("#unit-info-unit")).to_have_text("A-1-05 · 药店 · 80.00 m² · 已入住")
    expect(page.locator("#unit-info-tenant")).to_have_text("当前租户：毕博诚传媒有限公司")
    press(page, "Enter")
    assert_nothing_issued(page)

    # Line 1: the arrow keys change the fee, and each fee brings its own price.
    press(page, "Tab", "Tab", "Tab")
    assert focused(page) == "id_lines-0-fee_type"
    press(page, "ArrowDown")
    expect(page.locator("#id_lines-0-fee_type option:checked")).to_have_text("办证费")
    expect(page.locator("#id_lines-0-unit_price")).to_have_value("20.00")
    press(page, "ArrowDown")
    expect(page.locator("#id_lines-0-fee_type option:checked")).to_have_text("工本费")
    expect(page.locator("#id_lines-0-unit_price")).to_have_value("10.00")
    press(page, "Tab")
    page.keyboard.type("补卡")
    press(page, "Tab", "Control+A")
    page.keyboard.type("2")
    press(page, "Enter")
    assert_nothing_issued(page)

    # Line 2: a price the desk typed stays when the fee changes afterwards.
    press(page, "Tab", "Tab", "Tab", "Tab")
    assert focused(page) == "id_lines-1-fee_type"
    press(page, "ArrowDown")
    expect(page.locator("#id_lines-1-unit_price")).to_have_value("20.00")
    press(page, "Tab", "Tab", "Tab", "Control+A")
    assert focused(page) == "id_lines-1-unit_price"
    page.keyboard.type("18.50")
    press(page, "Shift+Tab", "Shift+Tab", "Shift+Tab", "ArrowDown")
    expect(page.locator("#id_lines-1-fee_type option:checked")).to_have_text("工本费")
    expect(page.locator("#id_lines-1-unit_price")).to_have_value("18.50")

    # A discount over the limit (20% of 18.50 is 3.70) opens the manager's part by itself,
    # and a smaller one closes it again.
    press(page, "Tab", "Tab", "Tab", "Tab")
    assert focused(page) == "id_lines-1-discount"
    page.keyboard.type("5")
    expect(page.locator("#approval")).to_have_attribute("open", "")
    expect(page.locator("#approval-note")).to_be_visible()
    check(page)
    press(page, "Backspace")
    page.keyboard.type("1")
    expect(page.locator("#approval")).not_to_have_attribute("open", "")
    expect(page.locator("#approval-note")).to_be_hidden()
    press(page, "Enter")
    assert_nothing_issued(page)

    # Ctrl+Enter asks for the confirmation; the missing reason is shown next to its field.
    press(page, "Control+Enter")
    error = page.locator("#id_lines-1-discount_reason_error")
    expect(error).to_have_text("有优惠须填写优惠原因。")
    expect(page.locator("#confirm-modal")).to_be_hidden()
    assert focused(page) == "id_lines-1-discount_reason"
    page.keyboard.type("老顾客")
    expect(page.locator("#receipt-total")).to_have_text("37.50")

    # The confirmation shows the server's total in figures and in 大写; Escape goes back.
    press(page, "Control+Enter")
    expect(page.locator("#confirm-modal")).to_be_visible()
    expect(page.locator("#confirm-total")).to_have_text("¥37.50")
    expect(page.locator("#confirm-words")).to_have_text("叁拾柒元伍角")
    expect(page.locator("#confirm-payer")).to_have_text("毕博诚传媒有限公司")
    expect(page.locator("#confirm-method")).to_have_text("现金")
    expect(error).to_have_count(0)
    check(page)
    press(page, "Escape")
    expect(page.locator("#confirm-modal")).to_be_hidden()
    expect(page.locator("#id_lines-1-discount_reason")).to_be_focused()  # back where it was
    assert Receipt.objects.count() == 0

    # Again, and this time confirmed (the confirmation's button has the focus).
    press(page, "Control+Enter")
    expect(page.locator("#confirm-modal")).to_be_visible()
    expect(page.locator("#confirm-button")).to_be_focused()
    navigate(page, lambda: press(page, "Enter"))
    receipt = Receipt.objects.get()
    assert page.url.endswith(receipt.get_absolute_url())
    assert (receipt.total, receipt.tenant, receipt.unit, receipt.payer_name) == (
        Decimal("37.50"),
        tenant,
        unit,
        "毕博诚传媒有限公司",
    )
    assert [
        (line.fee_type.code, line.description, line.quantity, line.unit_price, line.discount)
        for line in receipt.lines.order_by("pk")
    ] == [
        ("card_fee", "补卡", 2, Decimal("10.00"), Decimal("0.00")),
        ("card_fee", "", 1, Decimal("18.50"), Decimal("1.00")),
    ]


def issue(by, name="王师傅"):
    receipt, _created = receipt_issue(
        by=by,
        payer=Payer(kind="person", name=name),
        lines=[
            LineInput(
                fee_type=FeeType.objects.get(code="permit_fee"),
                unit_price=Decimal("20.00"),
                quantity=3,
            )
        ],
        method="cash",
    )
    return receipt


def status_on_check_page(page, receipt) -> str:
    visit(page, f"/r/{receipt.token}/")
    expect(page.locator("#verification")).not_to_contain_text("王师傅")
    return page.locator("#check-status").inner_text()


def test_the_check_page_after_a_void_and_after_a_reversal(page, staff, browser, live_server):
    valid = issue(staff["assistant"])
    expect_date = f"{timezone.localdate():%Y-%m-%d}"
    assert status_on_check_page(page, valid) == "有效"
    expect(page.locator("#verification")).to_contain_text(valid.number)
    expect(page.locator("#verification")).to_contain_text(expect_date)
    expect(page.locator("#verification")).to_contain_text("¥60.00")

    # A void: the desk asks, the manager approves it in the browser.
    wrong = issue(staff["assistant"])
    receipt_request_void(receipt=wrong, by=staff["assistant"], reason="开错了")
    manager = desk_context(browser, live_server.url)
    manager_page = manager.new_page()
    try:
        audit.attach(manager_page, "check_page_manager")
        login(manager_page, "manager")
        visit(manager_page, wrong.get_absolute_url())
        submit(manager_page, "form[action$='/void/approve/'] button")
    finally:
        manager.close()
    wrong.refresh_from_db()
    assert wrong.status == ReceiptStatus.VOID
    assert status_on_check_page(page, wrong) == "已作废：本收据无效"

    # A reversal (set up with the services): yesterday's receipt, corrected today.
    original = issue(staff["assistant"])
    yesterday = timezone.localdate() - timedelta(days=1)
    with maintenance():  # a receipt's date is fixed once issued
        Receipt.objects.filter(pk=original.pk).update(business_date=yesterday)
    DailyClose.objects.create(business_date=yesterday, state=DayState.HANDED_OVER)
    original.refresh_from_db()
    reversal = receipt_reverse(receipt=original, by=staff["manager"], reason="重复收费")
    assert status_on_check_page(page, original) == "已红冲：本收据已失效"
    expect(page.locator("#check-reversal-number")).to_have_text(reversal.number)
    expect(page.locator("#check-reversal-date")).to_have_text(expect_date)
    expect(page.locator("#verification")).to_contain_text(f"{yesterday:%Y-%m-%d}")
