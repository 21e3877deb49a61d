"""In Chromium: the administrator sets the centre's details and seal in the admin; the desk
prints a receipt (the original), then prints it again (a reprint, marked 重打), and the
receipt's page lists both copies."""

import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from config.models import Centre
from fees.models import ReceiptPrint
from tests.e2e import audit
from tests.e2e.audit import desk_context, login, visit
from tests.factories.finance import issue

pytestmark = pytest.mark.e2e


def seal_png(path):
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    image.paste((200, 20, 20, 255), (20, 20, 180, 180))
    image.save(path)
    return path


def print_copy(page) -> bytes:
    """Click the print button; the PDF opens in a new tab. Returns the PDF's bytes."""
    served = []

    def keep(route):
        response = route.fetch()
        served.append(response.body())
        route.fulfill(response=response)

    page.context.route("**/print/", keep)
    with page.context.expect_page() as popup:
        page.click("#print-receipt")
    popup.value.wait_for_load_state()
    popup.value.close()
    page.context.unroute("**/print/")
    return served[-1]


def flat_text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def test_centre_settings_then_original_and_reprint(page, staff, browser, live_server, tmp_path):
    # The administrator keeps the centre's details. Django's own admin pages fail axe's
    # link-contrast rule in their breadcrumbs, so they are driven without the audit.
    login(page, "admin")
    page.goto("/admin/config/centre/")
    assert page.url.endswith("/admin/config/centre/add/")
    page.fill("#id_name", "幸福路步行街客户服务中心")
    page.fill("#id_address", "杭州市上城区幸福路88号")
    page.fill("#id_telephone", "0571-8765 4321")
    page.fill("#id_public_url", "https://desk.example-street.cn")
    page.set_input_files("#id_seal", str(seal_png(tmp_path / "seal.png")))
    with page.expect_navigation():
        page.click("input[name=_save]")
    page.screenshot(path=str(audit.SCREENSHOT_DIR / "centre_settings_saved.png"), full_page=True)
    expect(page.locator("#site-name")).to_have_text("幸福路步行街客户服务中心")
    visit(page, "/")  # our own header now names the centre
    expect(page.locator(".navbar-brand")).to_have_text(re.compile("幸福路步行街客户服务中心"))
    centre = Centre.objects.get()
    assert (centre.name, centre.seal.name.startswith("centre/")) == (
        "幸福路步行街客户服务中心",
        True,
    )

    # The desk prints a receipt: the original.
    receipt = issue(staff["assistant"], ("permit_fee", "20.00", 1))
    desk = desk_context(browser, live_server.url).new_page()
    audit.attach(desk, "receipt_print_desk")
    login(desk, "assistant")
    visit(desk, receipt.get_absolute_url())
    expect(desk.locator("#print-receipt")).to_have_text(re.compile("打印"))
    original = flat_text(print_copy(desk))
    assert "幸福路步行街客户服务中心" in original and "电话：0571-87654321" in original
    assert "收款单位（盖章）" in original and "重打" not in original

    # Printed again: a reprint, marked, and both copies listed on the page.
    visit(desk, receipt.get_absolute_url())
    expect(desk.locator("#print-receipt")).to_have_text(re.compile("重打"))
    reprint = flat_text(print_copy(desk))
    second = ReceiptPrint.objects.get(copy=2)
    when = f"{timezone.localtime(second.printed_at):%Y-%m-%d%H:%M}"
    assert "重打" in reprint and f"重打时间：{when}" in reprint
    visit(desk, receipt.get_absolute_url())
    expect(desk.locator("#receipt-prints li")).to_have_count(2)
    expect(desk.locator("#receipt-prints li").nth(1)).to_contain_text("第 2 次")
    desk.context.close()
