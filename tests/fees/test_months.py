"""The month-end lock: who may lock, when, and the frozen statement it keeps."""

import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from config.permanence import maintenance
from fees.exporters import statements
from fees.models import MonthLock, Receipt
from fees.selectors.months import days_not_handed_over, month_can_lock, year_overview
from fees.selectors.statements import month_bounds, month_figures
from fees.services.months import month_lock
from fees.services.receipts import receipt_reverse
from tests.factories.fees import DailyCloseFactory, MonthLockFactory, ReceiptFactory
from tests.factories.finance import build_month, issue, move, previous_month

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def month(assistant, manager, finance):
    return build_month(assistant, manager, finance)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- when a month can be locked ----------------------------------------------------------


def test_a_handed_over_month_can_be_locked(month):
    check = month_can_lock(month.year, month.month)
    assert bool(check) is True
    assert check.reasons == []


@pytest.mark.parametrize("last_day", ["open", "submitted", "approved"])
def test_a_day_not_handed_over_blocks_the_lock(last_day, assistant, manager, finance):
    month = build_month(assistant, manager, finance, last_day=last_day)
    assert days_not_handed_over(month.year, month.month) == [month.d3]
    check = month_can_lock(month.year, month.month)
    assert bool(check) is False
    assert check.reasons == [
        f"Every day must be handed over to finance first; not yet: {month.d3.isoformat()}."
    ]
    with pytest.raises(ValidationError, match=month.d3.isoformat()):
        month_lock(by=finance, year=month.year, month=month.month)
    assert MonthLock.objects.count() == 0


def test_a_day_without_receipts_needs_no_close(month):
    quiet = date(month.year, month.month, 25)
    DailyCloseFactory(business_date=quiet)  # an open close row without receipts
    assert days_not_handed_over(month.year, month.month) == []
    assert bool(month_can_lock(month.year, month.month)) is True


def test_a_date_with_receipts_but_no_close_blocks_the_lock(month, assistant):
    stray = date(month.year, month.month, 26)
    move(issue(assistant, ("permit_fee", "20", 1)), stray)
    assert days_not_handed_over(month.year, month.month) == [stray]


def test_the_current_and_future_months_cannot_be_locked(finance):
    today = timezone.localdate()
    next_month = (today.replace(day=28) + timedelta(days=5)).replace(day=1)
    for year, month in [(today.year, today.month), (next_month.year, next_month.month)]:
        check = month_can_lock(year, month)
        assert len(check.reasons) == 1
        assert "has not ended" in check.reasons[0]
        with pytest.raises(ValidationError, match="has not ended"):
            month_lock(by=finance, year=year, month=month)


def test_the_last_day_of_a_month_is_still_too_early(finance):
    year, month = previous_month()
    last = month_bounds(year, month)[1]
    assert "has not ended" in month_can_lock(year, month, today=last).reasons[0]
    assert bool(month_can_lock(year, month, today=last + timedelta(days=1))) is True


def test_a_month_is_locked_only_once(month, finance):
    month_lock(by=finance, year=month.year, month=month.month)
    with pytest.raises(ValidationError, match="locked already"):
        month_lock(by=finance, year=month.year, month=month.month)
    assert MonthLock.objects.count() == 1


def test_no_such_month(finance):
    with pytest.raises(ValidationError, match="no such month"):
        month_lock(by=finance, year=2026, month=13)


@pytest.mark.parametrize("role", ["manager", "auditor", "assistant"])
def test_only_finance_locks(role, month, request):
    with pytest.raises(PermissionDenied):
        month_lock(by=request.getfixturevalue(role), year=month.year, month=month.month)
    assert MonthLock.objects.count() == 0


# --- the frozen statement ----------------------------------------------------------------


def test_the_lock_stores_both_files_with_their_checksums(month, finance):
    lock = month_lock(by=finance, year=month.year, month=month.month)
    lock.refresh_from_db()
    assert (lock.year, lock.month, lock.locked_by) == (month.year, month.month, finance)
    xlsx = lock.statement_xlsx.read()
    pdf = lock.statement_pdf.read()
    assert lock.xlsx_sha256 == sha(xlsx)
    assert lock.pdf_sha256 == sha(pdf)
    assert xlsx[:2] == b"PK" and pdf[:5] == b"%PDF-"
    assert lock.history.first().history_change_reason == "month locked"
    assert statements.statement_files(month.year, month.month) == (xlsx, pdf)


def test_later_downloads_return_the_same_bytes_even_when_data_change(
    month, finance, manager, client
):
    lock = month_lock(by=finance, year=month.year, month=month.month)
    client.force_login(finance)
    xlsx_url = reverse("fees:finance_month_xlsx", args=[month.year, month.month])
    pdf_url = reverse("fees:finance_month_pdf", args=[month.year, month.month])
    first_xlsx, first_pdf = client.get(xlsx_url).content, client.get(pdf_url).content
    assert (sha(first_xlsx), sha(first_pdf)) == (lock.xlsx_sha256, lock.pdf_sha256)

    # A correction after the lock is a reversal today, in a following month...
    reversal = receipt_reverse(receipt=month.receipts["R4"], by=manager, reason="收错项目")
    assert reversal.business_date == timezone.localdate()
    today = timezone.localdate()
    assert month_figures(today.year, today.month).total == D("-300.00")
    # ...and even a change behind the system's back (past the database's refusal) leaves
    # the frozen files alone.
    with maintenance():
        Receipt.objects.filter(pk=month.receipts["R5"].pk).update(total=D("999.00"))

    assert client.get(xlsx_url).content == first_xlsx
    assert client.get(pdf_url).content == first_pdf
    assert statements.statement_xlsx(month.year, month.month) != first_xlsx


@pytest.mark.slow
def test_the_frozen_pdf_says_it_is_locked(month, finance):
    lock = month_lock(by=finance, year=month.year, month=month.month)
    pages = PdfReader(io.BytesIO(lock.statement_pdf.read())).pages
    text = "\n".join(page.extract_text() for page in pages)
    assert "已锁定：finance" in text
    assert "¥350.00" in text


def test_a_tampered_file_is_refused(month, finance, client):
    lock = month_lock(by=finance, year=month.year, month=month.month)
    with open(lock.statement_xlsx.path, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(statements.StatementIntegrityError):
        statements.statement_file(month.year, month.month, "xlsx")
    client.force_login(finance)
    response = client.get(reverse("fees:finance_month_xlsx", args=[month.year, month.month]))
    assert response.url == reverse("fees:finance_month", args=[month.year, month.month])


# --- the lock's page and action ----------------------------------------------------------


def test_finance_locks_from_the_month_page(month, finance, client):
    client.force_login(finance)
    page = reverse("fees:finance_month", args=[month.year, month.month])
    assert 'id="lock-form"' in client.get(page).content.decode()
    url = reverse("fees:finance_month_lock", args=[month.year, month.month])
    response = client.post(url, {"confirm": "on"})
    assert response.url == page
    lock = MonthLock.objects.get()
    html = client.get(page).content.decode()
    assert lock.xlsx_sha256 in html and lock.pdf_sha256 in html
    assert 'id="lock-form"' not in html


def test_a_lock_without_the_confirmation_changes_nothing(month, finance, client):
    client.force_login(finance)
    url = reverse("fees:finance_month_lock", args=[month.year, month.month])
    assert client.post(url, {}).status_code == 302
    assert MonthLock.objects.count() == 0
    assert client.get(url).status_code == 405


def test_a_refused_lock_shows_why(assistant, manager, finance, client):
    month = build_month(assistant, manager, finance, last_day="approved")
    client.force_login(finance)
    page = reverse("fees:finance_month", args=[month.year, month.month])
    assert month.d3.isoformat() in client.get(page).content.decode()
    url = reverse("fees:finance_month_lock", args=[month.year, month.month])
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert month.d3.isoformat() in str(list(response.context["messages"])[0])
    assert MonthLock.objects.count() == 0


@pytest.mark.parametrize("role", ["manager", "auditor", "assistant"])
def test_other_roles_get_403_on_the_lock(role, month, request, client):
    client.force_login(request.getfixturevalue(role))
    url = reverse("fees:finance_month_lock", args=[month.year, month.month])
    assert client.post(url, {"confirm": "on"}).status_code == 403
    assert MonthLock.objects.count() == 0


def test_year_overview(month, finance, assistant):
    month_lock(by=finance, year=month.year, month=month.month)
    issue(assistant, ("permit_fee", "20", 1))  # today, still open
    today = timezone.localdate()
    overview = {m.month: m for m in year_overview(month.year, today=today)}
    locked = overview[month.month]
    assert (locked.total, locked.receipts, locked.lock.locked_by) == (D("350.00"), 6, finance)
    assert locked.lockable is False
    if today.year == month.year:
        current = overview[today.month]
        assert (current.total, current.pending_days, current.ended) == (D("20.00"), 1, False)
        assert max(overview) == today.month


def test_the_months_of_a_year_take_the_same_queries_for_one_or_three_locked_months(
    finance, flat_queries
):
    year = timezone.localdate().year - 1
    months = iter(range(1, 13))

    def a_locked_month_with_takings():
        month = next(months)
        ReceiptFactory(business_date=date(year, month, 15))
        MonthLockFactory(year=year, month=month, locked_by=finance)

    one, three = flat_queries(
        reverse("fees:finance_index") + f"?year={year}",
        a_locked_month_with_takings,
        queries=11,
        user=finance,
    )
    locked = [[m.month for m in page.context["months"] if m.lock] for page in (one, three)]
    assert locked == [[1], [3, 2, 1]]
