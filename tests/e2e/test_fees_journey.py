"""The desk's money journey in Chromium: a permit-fee + card-fee receipt printed, a void,
the blind daily close, the manager's approval and finance's confirmation."""

import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from fees.enums import DayState, ReceiptStatus
from fees.models import DailyClose, Handover, Receipt
from tests.e2e import audit
from tests.e2e.audit import desk_context, login, submit, visit
from tests.factories.archives import ContractorFactory, OccupancyFactory, UnitFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def second_page(browser, live_server, request):
    """Another person at another desk: their own browser context and cookies."""
    pages = []

    def open_as(username):
        context = desk_context(browser, live_server.url)
        context.set_default_timeout(15_000)
        page = context.new_page()
        audit.attach(page, f"{request.node.name}_{username}")
        pages.append(context)
        return login(page, username)

    yield open_as
    for context in pages:
        context.close()


def issue_permit_receipt(page, unit_code):
    visit(page, "/fees/receipts/new/")
    page.fill("#id_unit_code", unit_code)
    page.select_option("#id_lines-0-fee_type", label="办证费")
    page.fill("#id_lines-0-quantity", "2")
    page.select_option("#id_lines-1-fee_type", label="工本费")
    page.fill("#id_lines-1-quantity", "2")
    expect(page.locator("#receipt-total")).to_have_text("60.00")  # the form adds up as you type
    page.click("#issue-button")  # opens the confirmation with the server's total
    expect(page.locator("#confirm-total")).to_have_text("¥60.00")
    submit(page, "#confirm-button")


def test_receipt_void_close_approve_handover(page, staff, second_page):
    occupancy = OccupancyFactory(unit=UnitFactory(code="A-1-05"))
    ContractorFactory()
    login(page, "assistant")

    # A permit-fee + card-fee receipt, printed.
    issue_permit_receipt(page, "a-1-05")
    receipt = Receipt.objects.get()
    assert (receipt.payer_name, receipt.total) == (occupancy.tenant.name, Decimal("60.00"))
    expect(page.locator("#receipt-total")).to_contain_text("60.00")
    # Printing is a POST (each copy is recorded); the button's form gives the CSRF token.
    token = page.locator("form[action$='/print/'] [name=csrfmiddlewaretoken]").input_value()
    pdf = page.request.post(
        f"/fees/receipts/{receipt.pk}/print/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
    )
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert receipt.number in text and "陆拾元整" in text

    # A second receipt, written wrong: the desk asks for a void, the manager approves it.
    issue_permit_receipt(page, "A-1-05")
    wrong = Receipt.objects.exclude(pk=receipt.pk).get()
    page.fill("#void-reason", "数量开错")
    submit(page, "form[action$='/void/request/'] button")
    manager = second_page("manager")
    visit(manager, f"/fees/receipts/{wrong.pk}/")
    submit(manager, "form[action$='/void/approve/'] button")
    wrong.refresh_from_db()
    assert wrong.status == ReceiptStatus.VOID

    # The blind close: no expected figures until the count is saved.
    visit(page, "/fees/days/today/")
    expect(page.locator("#method-table")).to_have_count(0)
    page.fill("#id_cash_50", "1")
    page.fill("#id_cash_5", "1")  # 55.00 counted against 60.00 expected: 5.00 short
    submit(page, "#save-count")
    cash_row = page.locator("#method-table tr[data-method='cash']")
    expect(cash_row).to_contain_text("60.00")
    expect(cash_row).to_contain_text("-¥5.00")
    # The browser will not submit without the explanation (the server refuses it too).
    expect(page.locator("#explain_cash")).to_have_attribute("required", "")
    page.fill("#explain_cash", "找零多找了5元")
    submit(page, "#submit-day")
    day = DailyClose.objects.get()
    assert day.state == DayState.SUBMITTED

    # The manager approves; finance counts again and confirms with the bag number.
    visit(manager, day.get_absolute_url())
    expect(manager.locator("#exceptions + ul")).to_contain_text(wrong.number)
    submit(manager, "#approve-day")
    finance = second_page("finance")
    visit(finance, day.get_absolute_url())
    finance.fill("#id_cash_received", "55.00")
    finance.fill("#id_bag_number", "BAG-2026-001")
    submit(finance, "#confirm-handover")
    day.refresh_from_db()
    handover = Handover.objects.get()
    assert day.state == DayState.HANDED_OVER
    assert (handover.cash_expected, handover.cash_received, handover.bag_number) == (
        Decimal("55.00"),
        Decimal("55.00"),
        "BAG-2026-001",
    )
    slip = finance.request.get(f"/fees/days/{day.business_date.isoformat()}/slip/")
    assert slip.headers["content-type"] == "application/pdf"
