from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from fees.enums import DayState, PayerKind
from fees.models import DailyClose, Discrepancy, FeeType
from fees.selectors.days import day_get, day_takings, differences
from fees.services import days
from fees.services.receipts import (
    LineInput,
    Payer,
    receipt_approve_void,
    receipt_issue,
    receipt_request_void,
)
from tests.factories.fees import DiscrepancyFactory, HandoverFactory

pytestmark = pytest.mark.django_db
D = Decimal


def issue(by, amount, method="cash", reference="", discount=None, reason=""):
    discount = discount or D("0")
    receipt, _ = receipt_issue(
        by=by,
        payer=Payer(kind=PayerKind.PERSON, name="王师傅"),
        lines=[
            LineInput(
                fee_type=FeeType.objects.get(code="permit_fee"),
                unit_price=D(amount),
                discount=discount,
                discount_reason=reason,
            )
        ],
        method=method,
        reference=reference,
    )
    return receipt


@pytest.fixture
def busy_day(assistant, make_user, manager):
    """Cash 150 + 35 (one void of 20 not counted), WeChat 80, one discount."""
    from config.roles import Role

    other = make_user("desk2", Role.ASSISTANT)
    issue(assistant, "150.00")
    issue(other, "40.00", discount=D("5"), reason="老客户")
    issue(other, "80.00", method="wechat", reference="WX1")
    void = issue(assistant, "20.00")
    receipt_request_void(receipt=void, by=assistant, reason="开错")
    receipt_approve_void(receipt=void, by=manager)
    return day_get(timezone.localdate())


def count(day, by, cash=None, **non_cash):
    cash = cash or {D("100"): 1, D("50"): 1, D("20"): 1, D("10"): 1, D("5"): 1}  # 185.00
    return days.day_record_count(
        day=day, by=by, cash_count=cash, non_cash={m: D(v) for m, v in non_cash.items()}
    )


def test_takings_by_method_and_cashier(busy_day):
    takings = day_takings(busy_day.business_date)
    assert takings.by_method["cash"] == D("185.00")
    assert takings.by_method["wechat"] == D("80.00")
    assert takings.total == D("265.00")
    assert takings.receipt_count == 3
    assert [(r["cashier__username"], r["method"], r["total"]) for r in takings.by_cashier] == [
        ("assistant", "cash", D("150.00")),
        ("desk2", "cash", D("35.00")),
        ("desk2", "wechat", D("80.00")),
    ]
    assert [r.void_reason for r in takings.voids] == ["开错"]
    assert [line.discount for line in takings.discounts] == [D("5.00")]


def test_the_count_is_blind_for_the_desk(busy_day, assistant, manager, client):
    url = busy_day.get_absolute_url()
    client.force_login(assistant)
    before = client.get(url)
    assert before.context["show_expected"] is False
    assert "185.00" not in before.content.decode()
    client.post(
        reverse("fees:day_count", args=[busy_day.business_date.isoformat()]),
        {
            "cash_100": "1",
            "cash_50": "1",
            "cash_20": "1",
            "cash_10": "1",
            "cash_5": "1",
            "noncash_wechat": "80",
        },
    )
    after = client.get(url)
    assert after.context["show_expected"] is True
    assert "185.00" in after.content.decode()
    client.force_login(manager)  # the manager does not count, and sees the figures at once
    assert client.get(url).context["show_expected"] is True


def test_a_matching_day_goes_through_every_step(busy_day, assistant, manager, finance):
    count(busy_day, assistant, wechat="80")
    days.day_submit(day=busy_day, by=assistant, explanations={})
    busy_day.refresh_from_db()
    assert busy_day.state == DayState.SUBMITTED
    assert busy_day.expected_by_method["cash"] == D("185.00")
    with pytest.raises(ValidationError, match="were submitted"):
        issue(assistant, "10.00")
    with pytest.raises(PermissionDenied):
        days.day_approve(day=busy_day, by=assistant)
    days.day_approve(day=busy_day, by=manager)
    with pytest.raises(PermissionDenied):
        days.handover_confirm(day=busy_day, by=manager, cash_received=D("185"), bag_number="B1")
    handover = days.handover_confirm(
        day=busy_day, by=finance, cash_received=D("185.00"), bag_number="B1"
    )
    busy_day.refresh_from_db()
    assert busy_day.state == DayState.HANDED_OVER
    assert (handover.cash_expected, handover.difference) == (D("185.00"), D("0.00"))
    assert Discrepancy.objects.count() == 0


def test_differences_need_explanations(busy_day, assistant):
    busy_day = count(
        busy_day, assistant, cash={D("100"): 1, D("50"): 1, D("20"): 1, D("10"): 1}, wechat="80"
    )  # short 5
    assert differences(busy_day, day_takings(busy_day.business_date).by_method) == {
        "cash": D("-5.00")
    }
    with pytest.raises(ValidationError, match="Explain the difference"):
        days.day_submit(day=busy_day, by=assistant, explanations={"cash": "  "})
    days.day_submit(day=busy_day, by=assistant, explanations={"cash": "找零多给"})
    busy_day.refresh_from_db()
    assert busy_day.explanations_by_method == {"cash": "找零多给"}


def test_cannot_submit_without_a_count_or_with_a_pending_void(busy_day, assistant):
    with pytest.raises(ValidationError, match="Count the takings"):
        days.day_submit(day=busy_day, by=assistant, explanations={})
    pending = issue(assistant, "10.00")
    receipt_request_void(receipt=pending, by=assistant, reason="错")
    count(
        busy_day,
        assistant,
        cash={D("100"): 1, D("50"): 1, D("20"): 1, D("10"): 2, D("5"): 1},
        wechat="80",
    )
    with pytest.raises(ValidationError, match="void requests"):
        days.day_submit(day=busy_day, by=assistant, explanations={})


def test_return_reopens_the_day_with_a_comment(busy_day, assistant, manager):
    count(busy_day, assistant, wechat="80")
    days.day_submit(day=busy_day, by=assistant, explanations={})
    with pytest.raises(ValidationError, match="Say why"):
        days.day_return(day=busy_day, by=manager, comment="")
    days.day_return(day=busy_day, by=manager, comment="微信对账单不符")
    busy_day.refresh_from_db()
    assert (busy_day.state, busy_day.return_comment) == (DayState.OPEN, "微信对账单不符")
    issue(assistant, "10.00")  # open again: receipts can be issued


@pytest.mark.parametrize(
    "action",
    [
        lambda day, users: days.day_approve(day=day, by=users["manager"]),
        lambda day, users: days.day_return(day=day, by=users["manager"], comment="x"),
        lambda day, users: days.handover_confirm(
            day=day, by=users["finance"], cash_received=D("1"), bag_number="B"
        ),
    ],
)
def test_refused_transitions_of_an_open_day(busy_day, assistant, manager, finance, action):
    with pytest.raises(ValidationError):
        action(busy_day, {"manager": manager, "finance": finance})
    busy_day.refresh_from_db()
    assert busy_day.state == DayState.OPEN


def test_a_handover_difference_goes_to_the_register(busy_day, assistant, manager, finance):
    count(busy_day, assistant, wechat="80")
    days.day_submit(day=busy_day, by=assistant, explanations={})
    days.day_approve(day=busy_day, by=manager)
    with pytest.raises(ValidationError, match="seal number"):
        days.handover_confirm(day=busy_day, by=finance, cash_received=D("180"), bag_number=" ")
    handover = days.handover_confirm(
        day=busy_day, by=finance, cash_received=D("180.00"), bag_number="B7"
    )
    discrepancy = Discrepancy.objects.get()
    assert (discrepancy.handover, discrepancy.amount) == (handover, D("-5.00"))
    with pytest.raises(PermissionDenied):
        days.discrepancy_sign_off(discrepancy=discrepancy, by=finance, explanation="x")
    with pytest.raises(ValidationError):
        days.discrepancy_sign_off(discrepancy=discrepancy, by=manager, explanation="")
    days.discrepancy_sign_off(discrepancy=discrepancy, by=manager, explanation="点钞机误差，已补齐")
    discrepancy.refresh_from_db()
    assert discrepancy.signed_off_by == manager
    with pytest.raises(ValidationError, match="already"):
        days.discrepancy_sign_off(discrepancy=discrepancy, by=manager, explanation="again")
    with pytest.raises(ValidationError):
        days.handover_confirm(day=busy_day, by=finance, cash_received=D("185"), bag_number="B8")


def test_bad_counts_are_refused(busy_day, assistant):
    with pytest.raises(ValidationError):
        count(busy_day, assistant, cash={D("100"): -1})
    with pytest.raises(ValidationError):
        count(busy_day, assistant, wechat="-3")
    busy_day.refresh_from_db()
    assert busy_day.counted_at is None


def test_count_form_rejects_text(busy_day, assistant, client):
    client.force_login(assistant)
    client.post(
        reverse("fees:day_count", args=[busy_day.business_date.isoformat()]), {"cash_100": "abc"}
    )
    busy_day.refresh_from_db()
    assert busy_day.counted_at is None


@pytest.mark.parametrize(
    "role, name",
    [
        ("manager", "fees:day_count"),
        ("finance", "fees:day_submit"),
        ("assistant", "fees:day_approve"),
        ("assistant", "fees:day_handover"),
        ("auditor", "fees:day_return"),
    ],
)
def test_day_actions_are_checked_against_the_role(busy_day, role, name, request, client):
    client.force_login(request.getfixturevalue(role))
    assert (
        client.post(reverse(name, args=[busy_day.business_date.isoformat()]), {}).status_code == 403
    )


def test_handover_slip_pdf(busy_day, assistant, manager, finance, client):
    count(busy_day, assistant, wechat="80")
    days.day_submit(day=busy_day, by=assistant, explanations={})
    days.day_approve(day=busy_day, by=manager)
    days.handover_confirm(day=busy_day, by=finance, cash_received=D("185.00"), bag_number="BAG-77")
    client.force_login(finance)
    response = client.get(reverse("fees:handover_slip", args=[busy_day.business_date.isoformat()]))
    text = "".join(
        page.extract_text() for page in PdfReader(__import__("io").BytesIO(response.content)).pages
    )
    assert "¥185.00" in text and "壹佰捌拾伍元整" in text and "BAG-77" in text
    assert "¥265.00" in text
    assert "交款人：" in text and "审核人：" in text and "收款人：" in text


def test_future_days_do_not_exist(assistant, client):
    client.force_login(assistant)
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    assert client.get(reverse("fees:day_detail", args=[tomorrow])).status_code == 404
    assert client.get(reverse("fees:day_detail", args=["2026-13-40"])).status_code == 404
    assert DailyClose.objects.count() == 0


# --- lists -------------------------------------------------------------------------------


def test_day_list_queries_do_not_grow_with_rows(manager, flat_queries):
    flat_queries(reverse("fees:day_list"), HandoverFactory, queries=10, user=manager)


def test_discrepancy_list_queries_do_not_grow_with_rows(manager, flat_queries):
    def signed_off():
        DiscrepancyFactory(explanation="点错一张", signed_off_by=manager)

    flat_queries(reverse("fees:discrepancy_list"), signed_off, queries=9, user=manager)
