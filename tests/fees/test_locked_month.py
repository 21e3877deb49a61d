"""A locked month is frozen: no count, submission, approval, return, handover or paper
receipt transcription on a day inside it (one rule: fees.validators.refuse_if_month_locked)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fees.enums import DayState, PayerKind
from fees.models import DailyClose, DayCount, FeeType, Handover, MonthLock, Receipt
from fees.selectors.days import day_get
from fees.selectors.months import month_is_locked
from fees.services import books, days
from fees.services.receipts import LineInput, Payer
from tests.factories.fees import MonthLockFactory
from tests.factories.finance import build_month

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def lock(month, by) -> MonthLock:
    """Finance's lock, set directly: the rule must hold whatever state the days are in."""
    return MonthLockFactory(year=month.year, month=month.month, locked_by=by)


def locked_message(business_date) -> list[str]:
    return [
        f"{business_date:%Y-%m} is locked: nothing more can be recorded on "
        f"{business_date.isoformat()}."
    ]


def count(day_date, by):
    return days.day_record_count(day=day_get(day_date), by=by, cash_count={D("50"): 1}, non_cash={})


def state_of(day_date) -> str:
    return DailyClose.objects.get(business_date=day_date).state


@pytest.fixture
def people(assistant, manager, finance):
    return {"assistant": assistant, "manager": manager, "finance": finance}


def test_no_count_on_a_day_of_a_locked_month(people, assistant, finance, client):
    month = build_month(**people, last_day="open")
    lock(month, finance)
    assert month_is_locked(month.d3) and not month_is_locked(timezone.localdate())
    with pytest.raises(ValidationError) as caught:
        count(month.d3, assistant)
    assert caught.value.messages == locked_message(month.d3)
    assert not DayCount.objects.filter(day__business_date=month.d3).exists()
    quiet = month.d3 + timedelta(days=5)  # no receipt, no row: the count must not make one
    with pytest.raises(ValidationError) as caught:
        count(quiet, assistant)
    assert caught.value.messages == locked_message(quiet)
    assert not DailyClose.objects.filter(business_date=quiet).exists()
    # The page offers no count and says why; a count posted anyway is refused the same way.
    client.force_login(assistant)
    page = client.get(reverse("fees:day_detail", args=[month.d3.isoformat()]))
    html = page.content.decode()
    assert 'id="month-locked"' in html and 'id="count-form"' not in html
    answer = client.post(
        reverse("fees:day_count", args=[month.d3.isoformat()]), {"cash_50": "1"}, follow=True
    )
    assert [str(m) for m in answer.context["messages"]] == locked_message(month.d3)
    assert not DayCount.objects.filter(day__business_date=month.d3).exists()


def test_no_submission_in_a_locked_month(people, assistant, finance):
    month = build_month(**people, last_day="open")
    count(month.d3, assistant)
    lock(month, finance)
    with pytest.raises(ValidationError) as caught:
        days.day_submit(
            day=day_get(month.d3), by=assistant, explanations={"wechat": "微信原路退款"}
        )
    assert caught.value.messages == locked_message(month.d3)
    assert state_of(month.d3) == DayState.OPEN


@pytest.mark.parametrize(
    "action",
    [
        lambda day, manager: days.day_approve(day=day, by=manager),
        lambda day, manager: days.day_return(day=day, by=manager, comment="再核对"),
    ],
    ids=["approve", "return"],
)
def test_no_approval_or_return_in_a_locked_month(people, manager, finance, action, client):
    month = build_month(**people, last_day="submitted")
    lock(month, finance)
    with pytest.raises(ValidationError) as caught:
        action(day_get(month.d3), manager)
    assert caught.value.messages == locked_message(month.d3)
    assert state_of(month.d3) == DayState.SUBMITTED
    client.force_login(manager)
    html = client.get(reverse("fees:day_detail", args=[month.d3.isoformat()])).content.decode()
    assert 'id="month-locked"' in html and 'id="approve-day"' not in html


def test_no_handover_in_a_locked_month(people, finance):
    month = build_month(**people, last_day="approved")
    lock(month, finance)
    with pytest.raises(ValidationError) as caught:
        days.handover_confirm(
            day=day_get(month.d3), by=finance, cash_received=D("50.00"), bag_number="B-1"
        )
    assert caught.value.messages == locked_message(month.d3)
    assert state_of(month.d3) == DayState.APPROVED
    assert not Handover.objects.filter(day__business_date=month.d3).exists()


def transcribe(book, number, by, paper_date):
    return books.book_transcribe(
        by=by,
        book=book,
        number=number,
        payer=Payer(kind=PayerKind.PERSON, name="王师傅"),
        lines=[LineInput(fee_type=FeeType.objects.get(code="permit_fee"), unit_price=D("20.00"))],
        method="cash",
        paper_date=paper_date,
    )


def test_no_paper_receipt_of_a_locked_month_is_transcribed(people, assistant, finance):
    month = build_month(**people)
    book = books.book_register(
        by=assistant,
        series="A",
        first_number=1,
        last_number=50,
        issued_to=assistant,
        issued_on=month.d1,
    )
    lock(month, finance)
    receipts = Receipt.objects.count()
    with pytest.raises(ValidationError) as caught:
        transcribe(book, 1, assistant, month.d2)
    assert caught.value.messages == locked_message(month.d2)
    assert Receipt.objects.count() == receipts
    # A paper receipt written after the locked month goes through as before.
    receipt, created = transcribe(book, 1, assistant, timezone.localdate())
    assert created and receipt.paper_number == "A0000001"
