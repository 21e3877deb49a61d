"""Every list, area and search page opens (and so is screenshotted and audited)."""

import pytest
from playwright.sync_api import expect

from archives.demo import build_register
from tests.e2e.audit import login, navigate, visit

pytestmark = pytest.mark.e2e

# More rows than a list page shows (50), so that the pagination is rendered too.
UNITS = 60


@pytest.fixture
def street(transactional_db):
    build_register(units=UNITS, tenants=UNITS + 4, contractors=5, seed=7)


@pytest.mark.parametrize(
    ("path", "rows"),
    [
        ("/archives/units/", 50),
        ("/archives/tenants/", 50),
        ("/archives/occupancies/", 50),
        ("/archives/contractors/", 5),
    ],
    ids=["units", "tenants", "occupancies", "contractors"],
)
def test_register_list_and_detail(page, staff, street, path, rows):
    login(page, "assistant")
    visit(page, path)
    table = page.locator("main table")
    expect(table.locator("tbody tr")).to_have_count(rows)
    if rows == 50:
        navigate(page, lambda: page.locator("main .pagination a[href*='page=2']").first.click())
        assert "page=2" in page.url
    # The first record's own page, through the list's link.
    navigate(page, lambda: page.locator("main table tbody tr").first.locator("a").first.click())
    expect(page.locator("section[aria-labelledby='history-title']")).to_be_visible()


@pytest.mark.parametrize(
    "path", ["/fees/", "/deposits/", "/complaints/", "/attendance/"], ids=lambda p: p.strip("/")
)
def test_area_page(page, staff, path):
    login(page, "assistant")
    visit(page, path)
    expect(page.locator("main h1")).not_to_be_empty()


def test_search(page, staff, street):
    login(page, "assistant")
    visit(page, "/search/")
    expect(page.locator("#found-units")).to_have_count(0)

    page.fill("#global-search", "A-1-0")
    navigate(page, lambda: page.press("#global-search", "Enter"))
    expect(page.locator("#found-units")).to_be_visible()
    first_unit = page.locator("section[aria-labelledby='found-units'] tbody tr").first
    expect(first_unit).to_contain_text("A-1-0")
