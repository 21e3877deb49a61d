"""Money paid out of the desk (fees.models.Payout): a deposit refunded in cash leaves the
drawer on its business date, and that day's close expects exactly that much less cash; a
day already submitted takes no payout (and the refund is not paid); other methods do not
touch the drawer. The counter stays blind to the expected figures as before."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from deposits.enums import DepositStatus, RefundStatus
from deposits.models import Deposit, Refund
from deposits.services.refunds import refund_pay
from fees.enums import DayState, PaymentMethod
from fees.models import DailyClose, Payout
from fees.selectors.days import day_get, day_takings
from fees.services import days
from fees.services.days import payout_record
from tests.factories.deposits import RefundFactory, today

pytestmark = pytest.mark.django_db
D = Decimal
CASH = PaymentMethod.CASH


def approved_refund() -> Refund:
    """A refund of 4,700.00 (5,000.00 held, 300.00 deducted), approved: its deposit was
    taken in cash today, so today's takings hold 5,000.00 cash."""
    return RefundFactory(status=RefundStatus.APPROVED)


def notes(amount: Decimal) -> dict[Decimal, int]:
    """The drawer holding ``amount``: hundreds, and the rest in 0.10 coins."""
    hundreds, rest = divmod(amount, 100)
    return {D("100"): int(hundreds), D("0.1"): int(rest * 10)}


def expected_cash() -> Decimal:
    return day_takings(today()).expected[CASH]


def test_a_cash_refund_lowers_the_days_expected_cash_by_its_amount(finance):
    refund = approved_refund()
    before = expected_cash()
    assert day_takings(today()).by_method[CASH] == before  # nothing paid out yet

    refund_pay(by=finance, refund=refund, method=CASH, paid_on=today())

    assert expected_cash() == before - D("4700.00")
    # The takings themselves are what the receipts say; only what the drawer should hold drops.
    assert day_takings(today()).by_method[CASH] == before
    payout = Payout.objects.get()
    assert (payout.business_date, payout.method, payout.amount, payout.paid_by) == (
        today(),
        CASH,
        D("4700.00"),
        finance,
    )
    deposit = Deposit.objects.get(pk=refund.deposit_id)
    assert payout.reference == deposit.receipt_line.receipt.number
    with translation.override("zh-hans"):
        shown = str(deposit)
    # Written in the centre's language, whoever's screen paid it.
    assert payout.purpose == f"退还保证金：{refund.payee}（{shown}）"


def test_the_submitted_day_freezes_the_expected_cash_less_the_payout(
    client, assistant, manager, finance
):
    refund = approved_refund()
    takings = day_takings(today()).by_method[CASH]
    refund_pay(by=finance, refund=refund, method=CASH, paid_on=today())
    drawer = takings - D("4700.00")
    days.day_record_count(
        day=day_get(today()),
        by=assistant,
        cash_count=notes(drawer),
        non_cash={m: a for m, a in day_takings(today()).by_method.items() if m != CASH},
        opening_float=D("0"),
    )
    day = days.day_submit(day=day_get(today()), by=assistant, explanations={})
    assert day.expected_by_method[CASH] == drawer
    assert day.counted_by_method[CASH] == drawer

    # Approved, the handover slip prints the payout and the drawer's figures with it.
    days.day_approve(day=day, by=manager)
    client.force_login(finance)
    slip = client.get(reverse("fees:handover_slip", args=[today().isoformat()]))
    text = "".join(
        "".join(page.extract_text() for page in PdfReader(io.BytesIO(slip.content)).pages).split()
    )
    assert "当日付出" in text
    assert f"现金应收¥{takings:,.2f}，现金付出¥4,700.00，应有现金¥{drawer:,.2f}" in text


def test_paying_cash_on_a_submitted_day_is_refused_and_writes_nothing(assistant, finance):
    refund = approved_refund()
    takings = day_takings(today()).by_method
    days.day_record_count(
        day=day_get(today()),
        by=assistant,
        cash_count=notes(takings[CASH]),
        non_cash={m: a for m, a in takings.items() if m != CASH},
        opening_float=D("0"),
    )
    days.day_submit(day=day_get(today()), by=assistant, explanations={})

    with pytest.raises(ValidationError) as refused:
        refund_pay(by=finance, refund=refund, method=CASH, paid_on=today())

    assert refused.value.messages == [
        f"The daily close of {today().isoformat()} is submitted: no money can be paid out of "
        "that day's drawer any more. Pay it on an open day, or ask the manager to return the "
        "day to the desk."
    ]
    assert Payout.objects.count() == 0
    refund.refresh_from_db()
    assert (refund.status, refund.paid_by, refund.method) == (RefundStatus.APPROVED, None, "")
    assert Deposit.objects.get(pk=refund.deposit_id).status == DepositStatus.APPROVED
    assert DailyClose.objects.get(business_date=today()).state == DayState.SUBMITTED


@pytest.mark.parametrize("method", ["wechat", "transfer"])
def test_a_refund_paid_otherwise_does_not_touch_the_drawer(finance, method):
    refund = approved_refund()
    before = day_takings(today()).expected
    refund_pay(by=finance, refund=refund, method=method, reference="TX-881", paid_on=today())
    assert Payout.objects.count() == 0
    assert day_takings(today()).expected == before
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.PAID


def test_only_finance_pays_money_out(assistant):
    with pytest.raises(PermissionDenied):
        payout_record(
            by=assistant, business_date=today(), method=CASH, amount=D("10.00"), purpose="x"
        )
    assert Payout.objects.count() == 0


@pytest.mark.parametrize(
    ("amount", "purpose", "field", "message"),
    [
        ("0", "退款", "amount", "The amount must be more than 0 and at most 1,000,000.00."),
        ("1.005", "退款", "amount", "The amount can have at most two decimals."),
        ("10.00", "  ", "purpose", "Say what the money is paid out for."),
    ],
)
def test_a_bad_payout_is_refused_with_its_field(finance, amount, purpose, field, message):
    with pytest.raises(ValidationError) as refused:
        payout_record(
            by=finance, business_date=today(), method=CASH, amount=D(amount), purpose=purpose
        )
    assert (refused.value.field, refused.value.messages) == (field, [message])
    assert Payout.objects.count() == 0


def test_the_day_page_shows_the_payout_to_finance_and_hides_it_from_the_uncounted_desk(
    client, assistant, finance
):
    refund = approved_refund()
    refund_pay(by=finance, refund=refund, method=CASH, paid_on=today())
    url = reverse("fees:day_detail", args=[today().isoformat()])

    client.force_login(finance)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["cash"].paid_out == D("4700.00")
    assert page.context["cash"].expected_in_drawer == (
        page.context["cash"].opening_float + page.context["cash"].cash_takings - D("4700.00")
    )
    assert 'id="payouts"' in page.content.decode()
    assert 'id="cash-paid-out"' in page.content.decode()

    # The desk has not counted: no expected figure, and no payout table either.
    client.force_login(assistant)
    page = client.get(url)
    assert page.context["show_expected"] is False
    assert 'id="payouts"' not in page.content.decode()
    assert 'id="cash-paid-out"' not in page.content.decode()
