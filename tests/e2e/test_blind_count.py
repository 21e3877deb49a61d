"""The blind count in Chromium: before counting, the assistant opens every page of its menu
(each screenshotted and audited) and finds none of the day's totals; once the count is
saved, the day page shows them."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fees.selectors.days import day_get
from fees.services import days
from tests.e2e.audit import login, visit
from tests.factories.finance import issue

pytestmark = pytest.mark.e2e

# 20.00 + 35.00 cash and 15.00 WeChat: the sums 55.00 and 70.00 differ from every receipt.
HIDDEN_TEXT = re.compile(r"(?<![\d.,])(55|70)\.00(?!\d)")


def menu_paths(page) -> list[str]:
    hrefs = page.locator("header nav a[href]").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    # The menu's files (an Excel summary) are downloads, not pages to read.
    pages = (h for h in hrefs if h.startswith("/") and not h.endswith((".xlsx", ".pdf")))
    return list(dict.fromkeys(pages))


def test_the_assistant_finds_no_total_before_counting(page, staff):
    assistant = staff["assistant"]
    issue(assistant, ("permit_fee", "20", 1))
    issue(assistant, ("permit_fee", "35", 1))
    issue(assistant, ("card_fee", "15", 1), method="wechat", reference="WX-7")
    today = timezone.localdate()
    login(page, "assistant")

    paths = menu_paths(page)
    # The money pages the menu leads to, one click further: this month's statement.
    paths += [f"/fees/finance/{today.year}/{today.month}/"]
    assert "/fees/finance/" in paths and "/fees/days/today/" in paths
    leaks = {}
    for path in ["/", *paths]:
        visit(page, path)  # screenshot and axe audit
        found = HIDDEN_TEXT.findall(page.content())
        if found:
            leaks[path] = found
    assert leaks == {}

    # The count is saved (as the desk does it on the day page): now the figures appear.
    days.day_record_count(
        day=day_get(today),
        by=assistant,
        cash_count={Decimal("50"): 1, Decimal("5"): 1},
        non_cash={"wechat": Decimal("15")},
    )
    visit(page, "/fees/days/today/")
    expect(page.locator("#method-table tr[data-method='cash']")).to_contain_text("55.00")
    expect(page.locator("#day-total")).to_contain_text("70.00")
    visit(page, f"/fees/finance/{today.year}/{today.month}/")
    expect(page.locator("#figures-total")).to_contain_text("70.00")
