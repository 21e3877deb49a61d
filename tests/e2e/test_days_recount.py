"""The daily close with a recount, in Chromium: the assistant counts blind (the float
prefilled), sees the difference, counts again and submits; the manager's day page and the
handover slip show the blind count, the final count and the recount."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from fees.enums import DayState
from fees.models import DailyClose
from tests.e2e import audit
from tests.e2e.audit import SCREENSHOT_DIR, desk_context, login, submit, visit
from tests.factories.finance import issue

pytestmark = pytest.mark.e2e


@pytest.fixture
def manager_page(browser, live_server, request):
    """The manager at her own desk: a browser context of her own, logged in."""
    context = desk_context(browser, live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    audit.attach(page, f"{request.node.name}_manager")
    yield lambda: login(page, "manager")
    context.close()


def fill_count(page, notes: dict[str, str], wechat: str) -> None:
    for denomination, pieces in notes.items():
        page.fill(f"#id_cash_{denomination}", pieces)
    page.fill("#id_noncash_wechat", wechat)


def test_blind_count_recount_submit_and_what_the_manager_sees(page, staff, manager_page, settings):
    settings.CASH_FLOAT_DEFAULT = Decimal("200.00")
    assistant = staff["assistant"]
    issue(assistant, ("permit_fee", "150", 1))
    issue(assistant, ("permit_fee", "35", 1))
    issue(assistant, ("permit_fee", "80", 1), method="wechat", reference="WX1")
    today = timezone.localdate().isoformat()

    # Blind: no expected figure anywhere on the page; the drawer's float is prefilled.
    login(page, "assistant")
    visit(page, f"/fees/days/{today}/")
    expect(page.locator("#method-table")).to_have_count(0)
    expect(page.locator("#cash-position")).to_have_count(0)
    assert "185.00" not in page.content() and "265.00" not in page.content()
    expect(page.locator("#id_opening_float")).to_have_value("200.00")
    expect(page.locator("#id_float_left")).to_have_value("200.00")

    # 380.00 in the drawer against 200.00 float + 185.00 cash taken: 5.00 short.
    fill_count(page, {"100": "3", "50": "1", "20": "1", "10": "1"}, "80")
    submit(page, "#save-count")
    cash_row = page.locator("#method-table tr[data-method='cash']")
    expect(cash_row).to_contain_text("¥185.00")
    expect(cash_row).to_contain_text("-¥5.00")
    expect(page.locator("#cash-expected")).to_have_text("¥385.00")
    expect(page.locator("#cash-difference")).to_have_text("-¥5.00")
    expect(page.locator("#recount-note")).to_be_visible()

    # The five-yuan note turns up: a recount, kept beside the blind count.
    page.fill("#id_cash_5", "1")
    submit(page, "#save-count")
    expect(page.locator("#cash-difference")).to_have_text("¥0.00")
    expect(page.locator("#cash-to-hand-over")).to_have_text("¥185.00")
    expect(page.locator("#counts-table tbody tr")).to_have_count(2)
    submit(page, "#submit-day")
    assert DailyClose.objects.get(business_date=today).state == DayState.SUBMITTED

    # The manager sees the blind count, the final count and that the desk counted again.
    manager = manager_page()
    visit(manager, f"/fees/days/{today}/")
    expect(manager.locator("#recount-badge")).to_have_text("重新清点 1 次")
    blind, final = manager.locator("#counts-table tbody tr").all()
    for text in ("盲点", "李晓敏", "¥200.00", "¥380.00", "¥100 × 3"):
        expect(blind).to_contain_text(text)
    expect(blind).not_to_contain_text("最终清点")
    for text in ("重新清点", "最终清点", "¥385.00", "¥5 × 1"):
        expect(final).to_contain_text(text)
    manager.locator("#day-counts").screenshot(path=str(SCREENSHOT_DIR / "days_recount_counts.png"))
    submit(manager, "#approve-day")

    # The slip: both counts, the recount, and the float that stays for the next shift.
    slip = manager.request.get(f"/fees/days/{today}/slip/")
    assert slip.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(slip.body())).pages).split()
    )
    assert "盲点（第 1 次） 李晓敏" in text and "最终清点（第 2 次） 李晓敏" in text
    assert "重新清点：有，共 1 次" in text
    assert "留存备用金（下一班） ¥200.00" in text
    assert "交款现金 ¥185.00 大写：壹佰捌拾伍元整" in text
    pdf_path = SCREENSHOT_DIR / "days_recount_slip.pdf"
    pdf_path.write_bytes(slip.body())
    if shutil.which("pdftoppm"):  # a PNG of the slip, to look at
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-singlefile",
                str(pdf_path),
                str(pdf_path.with_suffix("")),
            ],
            check=True,
        )
