"""The receipt desk's helpers around the issue form (the unit lookup, the confirmation's
check) and the public check page of a receipt: valid, void or reversed."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from archives.models import UnitStatus
from config.permanence import maintenance
from fees.enums import DayState
from fees.models import DailyClose, FeeType, Receipt
from fees.services.receipts import (
    LineInput,
    Payer,
    receipt_approve_void,
    receipt_issue,
    receipt_request_void,
    receipt_reverse,
)
from tests.factories.archives import OccupancyFactory, UnitFactory
from tests.factories.fees import DailyCloseFactory
from tests.factories.finance import receipt_post

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    """The words of an HTML fragment as a reader sees them, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def fee(code):
    return FeeType.objects.get(code=code)


# --- the unit lookup -----------------------------------------------------------------------


def lookup(client, code):
    return client.get(reverse("fees:receipt_unit"), {"unit_code": code})


def test_lookup_shows_the_unit_and_its_current_tenant(assistant, client):
    unit = UnitFactory(
        code="B-2-07", area=Decimal("56.40"), status=UnitStatus.OCCUPIED, business="茶叶"
    )
    occupancy = OccupancyFactory(unit=unit, tenant__name="杭州龙井茶行有限公司")
    client.force_login(assistant)
    response = lookup(client, " b-2-07 ")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert text(response.content.decode()) == (
        f"B-2-07 · 茶叶 · 56.40 m² · Occupied Current tenant: {occupancy.tenant.name}"
    )


def test_lookup_of_an_unknown_unit_says_so(assistant, client):
    client.force_login(assistant)
    response = lookup(client, "z-9-99")
    assert text(response.content.decode()) == "There is no unit Z-9-99 in the register."


def test_lookup_of_a_vacant_unit_says_no_tenant_pays(assistant, client):
    UnitFactory(code="C-1-01", area=Decimal("80.00"), status=UnitStatus.VACANT)
    client.force_login(assistant)
    response = lookup(client, "C-1-01")
    assert text(response.content.decode()) == (
        "C-1-01 · 80.00 m² · Vacant No current tenant: a tenant cannot pay for this unit."
    )


def test_lookup_of_nothing_shows_nothing(assistant, client):
    client.force_login(assistant)
    assert text(lookup(client, "   ").content.decode()) == ""


def test_lookup_escapes_what_was_typed(assistant, client):
    client.force_login(assistant)
    page = lookup(client, "<b>x").content.decode()
    assert "<B>" not in page and "&lt;B&gt;X" in page


@pytest.mark.parametrize("role", ["manager", "finance", "auditor", "department"])
def test_lookup_needs_the_issue_permission(role, request, client):
    OccupancyFactory(unit=UnitFactory(code="B-2-07"))
    client.force_login(request.getfixturevalue(role))
    assert lookup(client, "B-2-07").status_code == 403


def test_lookup_needs_a_login(client):
    response = lookup(client, "B-2-07")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the confirmation's check --------------------------------------------------------------


def form_post(**changes):
    return receipt_post(
        **{
            "lines-0-quantity": "5",
            "lines-1-quantity": "5",
            "lines-2-fee_type": str(fee("waste_removal").pk),
            "lines-2-quantity": "1",
            "lines-2-unit_price": "1084.56",
            **changes,
        }
    )


def check(client, **changes):
    response = client.post(reverse("fees:receipt_preview"), form_post(**changes))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.json()


def test_the_confirmation_shows_the_total_in_figures_and_in_words(assistant, client):
    client.force_login(assistant)
    assert check(client) == {
        "ok": True,
        "needs_approval": False,
        "errors": {},
        "general": [],
        "total": "1234.56",
        "total_display": "¥1,234.56",
        "words": "壹仟贰佰叁拾肆元伍角陆分",
        "payer": "李师傅",
        "method": "Cash",
    }
    # Checking writes nothing: no receipt, and not even the day's close row.
    assert (Receipt.objects.count(), DailyClose.objects.count()) == (0, 0)


def test_the_tenant_of_the_unit_is_the_payer_confirmed(assistant, client):
    occupancy = OccupancyFactory(unit=UnitFactory(code="B-2-07"))
    client.force_login(assistant)
    answer = check(client, payer_kind="tenant", payer_name="", unit_code="b-2-07")
    assert (answer["ok"], answer["payer"]) == (True, occupancy.tenant.name)


def test_the_check_puts_each_mistake_next_to_its_field(assistant, client):
    client.force_login(assistant)
    answer = check(
        client,
        payer_kind="tenant",
        unit_code="Z-9-99",
        method="alipay",
        **{"lines-1-discount": "2", "lines-2-unit_price": "abc"},
    )
    assert answer == {
        "ok": False,
        "needs_approval": False,
        "errors": {
            "id_unit_code": [
                "There is no unit Z-9-99 in the register.",
                "Enter the code of an occupied unit: its current tenant pays.",
            ],
            "id_reference": ["A non-cash payment needs its reference."],
            "id_lines-1-discount_reason": ["A discount needs a reason."],
            "id_lines-2-unit_price": [
                "Enter an amount from 0.01 to 1000000.00 yuan in plain digits with at most "
                "two decimals, e.g. 35 or 35.50 (no commas)."
            ],
        },
        "general": [],
    }


def test_rules_of_the_whole_receipt_come_back_as_general_messages(assistant, client):
    client.force_login(assistant)
    big = {"lines-0-quantity": "1", "lines-0-unit_price": "600000", "lines-1-quantity": "1"}
    big["lines-1-unit_price"] = "600000"
    answer = check(client, **big)
    assert (answer["ok"], answer["general"]) == (
        False,
        ["A receipt's total cannot be over 1,000,000.00."],
    )
    empty = {f"lines-{n}-{name}": "" for n in range(3) for name in ("fee_type", "unit_price")}
    assert check(client, **empty)["general"] == ["A receipt needs at least one line."]


def test_a_submitted_day_is_refused_before_the_confirmation(assistant, client):
    DailyCloseFactory(business_date=timezone.localdate(), state=DayState.SUBMITTED)
    client.force_login(assistant)
    answer = check(client)
    assert (answer["ok"], answer["general"]) == (
        False,
        [
            f"The takings of {timezone.localdate()} were submitted: "
            "no receipt can be issued or voided on that day."
        ],
    )


DISCOUNT_OVER = {"lines-0-quantity": "1", "lines-0-discount": "4.01"}  # over 20% of 20.00


def test_a_discount_over_the_limit_asks_for_the_manager(assistant, client, settings):
    settings.DISCOUNT_APPROVAL_SHARE = Decimal("0.20")
    client.force_login(assistant)
    # Asked while the reason is still missing: the approval opens as soon as it applies.
    answer = check(client, **DISCOUNT_OVER)
    assert (answer["ok"], answer["needs_approval"], answer["errors"]) == (
        False,
        True,
        {
            "id_lines-0-discount_reason": ["A discount needs a reason."],
            "id_approver_username": ["A discount over 20% of a line needs the manager's approval."],
        },
    )
    # With the manager named, the check passes; the password is checked on issuing only.
    answer = check(
        client,
        approver_username="manager",
        approver_password="not checked here",
        **DISCOUNT_OVER,
        **{"lines-0-discount_reason": "老顾客"},
    )
    assert (answer["ok"], answer["needs_approval"], answer["total"]) == (True, True, "1150.55")


def test_a_discount_at_the_limit_needs_no_manager(assistant, client, settings):
    settings.DISCOUNT_APPROVAL_SHARE = Decimal("0.20")
    client.force_login(assistant)
    answer = check(
        client,
        **{"lines-0-quantity": "1", "lines-0-discount": "4.00"},
        **{"lines-0-discount_reason": "老顾客"},
    )
    assert (answer["ok"], answer["needs_approval"], answer["total"]) == (True, False, "1150.56")


@pytest.mark.parametrize("role", ["manager", "finance", "auditor", "department"])
def test_the_check_needs_the_issue_permission(role, request, client):
    client.force_login(request.getfixturevalue(role))
    assert client.post(reverse("fees:receipt_preview"), form_post()).status_code == 403


def test_the_check_is_a_post(assistant, client):
    client.force_login(assistant)
    assert client.get(reverse("fees:receipt_preview")).status_code == 405


def test_the_form_opens_the_approval_again_after_a_refusal(assistant, client, settings):
    settings.DISCOUNT_APPROVAL_SHARE = Decimal("0.20")
    client.force_login(assistant)
    page = client.get(reverse("fees:receipt_create"))
    assert page.context["approval_needed"] is False
    assert 'id="approval" data-needed="false" >' in page.content.decode()
    refused = client.post(
        reverse("fees:receipt_create"),
        form_post(**DISCOUNT_OVER, **{"lines-0-discount_reason": "老顾客"}),
    )
    assert refused.context["approval_needed"] is True
    assert 'id="approval" data-needed="true" open>' in refused.content.decode()
    assert Receipt.objects.count() == 0


def test_the_form_knows_each_fee_s_default_price(assistant, client):
    client.force_login(assistant)
    defaults = client.get(reverse("fees:receipt_create")).context["fee_defaults"]
    assert defaults[str(fee("permit_fee").pk)] == "20.00"
    assert defaults[str(fee("decoration_deposit").pk)] == "5000.00"
    assert defaults[str(fee("penalty").pk)] == ""  # no default: the desk types the amount


# --- the assistant's home ------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, shown",
    [("assistant", 1), ("manager", 0), ("finance", 0), ("auditor", 0), ("department", 0)],
)
def test_the_home_page_offers_a_receipt_to_those_who_issue_them(role, shown, request, client):
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("home")).content.decode()
    button = f'id="home-issue-receipt" href="{reverse("fees:receipt_create")}"'
    assert page.count(button) == shown


# --- the public check page -----------------------------------------------------------------


def issue(by, **kwargs):
    receipt, _created = receipt_issue(
        by=by,
        payer=Payer(kind="person", name="保密的名字"),
        lines=[LineInput(fee_type=fee("permit_fee"), unit_price=Decimal("20.00"), quantity=3)],
        method="cash",
        **kwargs,
    )
    return receipt


def check_page(client, receipt):
    response = client.get(reverse("verify_receipt", args=[receipt.token]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "保密的名字" not in html  # the payer is nobody's business but the centre's
    return text(re.search(r'<dl class="row mb-0" id="verification">.*?</dl>', html, re.S)[0])


def test_a_receipt_in_force_checks_as_valid(assistant, client, settings):
    receipt = issue(assistant)
    client.logout()  # anyone holding the paper, in English as the other tests read
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert check_page(client, receipt) == (
        f"number {receipt.number} date {receipt.business_date:%Y-%m-%d} amount ¥60.00 status Valid"
    )


def test_a_receipt_whose_void_is_only_asked_still_checks_as_valid(assistant, client):
    receipt = issue(assistant)
    receipt_request_void(receipt=receipt, by=assistant, reason="开错了")
    assert check_page(client, receipt).endswith("status Valid")


def test_a_void_receipt_checks_as_void(assistant, manager, client):
    receipt = issue(assistant)
    receipt_request_void(receipt=receipt, by=assistant, reason="开错了")
    receipt_approve_void(receipt=receipt, by=manager)
    assert check_page(client, receipt) == (
        f"number {receipt.number} date {receipt.business_date:%Y-%m-%d} amount ¥60.00 "
        "status Void: this receipt is not valid"
    )


def test_a_reversed_receipt_checks_as_reversed_with_the_reversal(assistant, manager, client):
    original = issue(assistant)
    # The original's day was yesterday and is handed over; the reversal is today's.
    yesterday = timezone.localdate() - timedelta(days=1)
    with maintenance():  # a receipt's date is fixed once issued
        Receipt.objects.filter(pk=original.pk).update(business_date=yesterday)
    DailyCloseFactory(business_date=yesterday, state=DayState.HANDED_OVER)
    original.refresh_from_db()
    reversal = receipt_reverse(receipt=original, by=manager, reason="重复收费")
    assert check_page(client, original) == (
        f"number {original.number} date {yesterday:%Y-%m-%d} amount ¥60.00 "
        "status Reversed (红冲): this receipt is no longer valid "
        f"reversal number {reversal.number} reversal date {timezone.localdate():%Y-%m-%d}"
    )
    # The negative receipt itself is a valid document, and says nothing more.
    assert check_page(client, reversal) == (
        f"number {reversal.number} date {timezone.localdate():%Y-%m-%d} amount -¥60.00 status Valid"
    )


def test_the_check_page_speaks_chinese_by_default(assistant, manager, client):
    receipt = issue(assistant)
    receipt_request_void(receipt=receipt, by=assistant, reason="开错了")
    receipt_approve_void(receipt=receipt, by=manager)
    client.cookies.clear()
    assert check_page(client, receipt).endswith("状态 已作废：本收据无效")
