"""The fees pages each role works in open without error, and pass the accessibility audit."""

import pytest
from django.utils import timezone

from archives.demo import build_register
from fees.demo import build_charges, build_permits, build_takings
from tests.e2e.audit import login, visit

pytestmark = pytest.mark.e2e


@pytest.fixture
def desk_with_history(transactional_db, staff):
    today = timezone.localdate()
    build_register(units=30, tenants=32, contractors=4, seed=11)
    build_takings(days=35, per_day=6, today=today, busy_today=4, seed=11)
    build_charges(today=today, count=8, seed=11)
    build_permits(today=today, batches=2, seed=11)


PAGES = {
    "assistant": [
        "/fees/receipts/",
        "/fees/receipts/new/",
        "/fees/days/",
        "/fees/days/today/",
        "/fees/permits/",
        "/fees/permits/new/",
        "/fees/permits/expiring/",
        "/fees/charges/",
        "/fees/charges/new/",
        "/fees/charges/ageing/",
        "/fees/books/",
        "/fees/books/new/",
        "/fees/books/gaps/",
    ],
    "manager": ["/", "/fees/discrepancies/", "/fees/finance/"],
    "finance": ["/", "/fees/finance/", "/fees/exports/"],
    "auditor": ["/fees/finance/", "/fees/exports/", "/fees/receipts/", "/fees/finance/chain/"],
}


@pytest.mark.parametrize("role", list(PAGES))
def test_fees_pages_open_and_pass_the_audit(page, desk_with_history, role):
    login(page, role)
    for path in PAGES[role]:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        visit(page, path)


def test_the_month_page_with_its_chart(page, desk_with_history):
    login(page, "finance")
    last_month = timezone.localdate().replace(day=1) - timezone.timedelta(days=1)
    visit(page, f"/fees/finance/{last_month.year}/{last_month.month}/")
    assert page.locator("main svg").count() >= 1


def test_the_receipt_chain_of_the_demo_takings_verifies(page, desk_with_history):
    login(page, "auditor")
    today = timezone.localdate()
    start = today - timezone.timedelta(days=35)
    visit(page, f"/fees/finance/chain/?date_from={start:%Y-%m-%d}&date_to={today:%Y-%m-%d}")
    assert page.locator("#chain-intact").count() == 1
