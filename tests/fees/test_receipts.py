import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from config.permanence import maintenance
from fees.enums import DayState, PayerKind, ReceiptStatus
from fees.models import DailyClose, FeeType, Receipt, ReceiptLine
from fees.services.receipts import (
    LineInput,
    Payer,
    receipt_approve_void,
    receipt_issue,
    receipt_reject_void,
    receipt_request_void,
    receipt_reverse,
)
from tests.factories.archives import ContractorFactory, OccupancyFactory
from tests.factories.fees import DailyCloseFactory
from tests.factories.finance import receipt_post

pytestmark = pytest.mark.django_db


def fee(code):
    return FeeType.objects.get(code=code)


def permit_lines():
    return [
        LineInput(fee_type=fee("permit_fee"), unit_price=Decimal("20.00")),
        LineInput(fee_type=fee("card_fee"), unit_price=Decimal("10.00")),
    ]


def issue(by, lines=None, **kwargs):
    kwargs.setdefault("payer", Payer(kind=PayerKind.PERSON, name="王师傅"))
    kwargs.setdefault("method", "cash")
    receipt, _created = receipt_issue(by=by, lines=lines or permit_lines(), **kwargs)
    return receipt


def close_day(receipt):
    DailyClose.objects.filter(business_date=receipt.business_date).update(state=DayState.SUBMITTED)


# --- issuing ---------------------------------------------------------------------------


def test_issue_numbers_totals_and_lines(assistant):
    first = issue(assistant)
    second = issue(
        assistant,
        lines=[LineInput(fee_type=fee("card_fee"), unit_price=Decimal("10.00"), quantity=3)],
    )
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"{year}-000001", f"{year}-000002")
    assert (first.total, second.total) == (Decimal("30.00"), Decimal("30.00"))
    assert [(line.fee_type.code, line.amount) for line in first.lines.all()] == [
        ("permit_fee", Decimal("20.00")),
        ("card_fee", Decimal("10.00")),
    ]
    assert first.business_date == timezone.localdate()
    assert first.cashier == assistant
    assert first.status == ReceiptStatus.ISSUED


def test_tenant_payer_name_defaults_to_the_tenant(assistant):
    occupancy = OccupancyFactory()
    receipt = issue(
        assistant, payer=Payer(kind=PayerKind.TENANT, tenant=occupancy.tenant), unit=occupancy.unit
    )
    assert (receipt.payer_name, receipt.tenant, receipt.unit) == (
        occupancy.tenant.name,
        occupancy.tenant,
        occupancy.unit,
    )


def test_the_same_form_twice_issues_one_receipt(assistant):
    key = uuid.uuid4()
    first, created_first = receipt_issue(
        by=assistant,
        payer=Payer(kind="person", name="甲"),
        lines=permit_lines(),
        method="cash",
        request_key=key,
    )
    second, created_second = receipt_issue(
        by=assistant,
        payer=Payer(kind="person", name="甲"),
        lines=permit_lines(),
        method="cash",
        request_key=key,
    )
    assert (created_first, created_second) == (True, False)
    assert first == second
    assert Receipt.objects.count() == 1


@pytest.mark.parametrize(
    "line, message",
    [
        (dict(unit_price=Decimal("-5")), "unit price must be more than 0"),
        (dict(unit_price=Decimal("0")), "unit price must be more than 0"),
        (dict(unit_price=Decimal("1000000.01")), "at most 1,000,000.00"),
        (dict(unit_price=Decimal("20"), quantity=0), "quantity must be from 1"),
        (dict(unit_price=Decimal("20"), discount=Decimal("5")), "discount needs a reason"),
        (
            dict(unit_price=Decimal("20"), discount=Decimal("20"), discount_reason="x"),
            "less than the line",
        ),
        (dict(unit_price=Decimal("600000"), quantity=2), "total cannot be over 1,000,000.00"),
    ],
)
def test_bad_lines_are_refused_and_write_nothing(assistant, line, message, settings):
    with pytest.raises(ValidationError) as info:
        issue(assistant, lines=[LineInput(fee_type=fee("permit_fee"), **line)])
    assert message in " ".join(info.value.messages)
    assert Receipt.objects.count() == 0
    assert ReceiptLine.objects.count() == 0


def test_non_cash_needs_a_reference(assistant):
    with pytest.raises(ValidationError, match="reference"):
        issue(assistant, method="wechat")
    receipt = issue(assistant, method="wechat", reference="4200001234")
    assert receipt.reference == "4200001234"


def test_a_contractor_payer_must_be_given(assistant):
    with pytest.raises(ValidationError, match="contractor"):
        issue(assistant, payer=Payer(kind=PayerKind.CONTRACTOR))
    contractor = ContractorFactory()
    assert (
        issue(assistant, payer=Payer(kind=PayerKind.CONTRACTOR, contractor=contractor)).payer_name
        == contractor.name
    )


def test_a_large_discount_needs_a_manager(assistant, manager, settings):
    settings.DISCOUNT_APPROVAL_SHARE = Decimal("0.20")
    small = [
        LineInput(
            fee_type=fee("permit_fee"),
            unit_price=Decimal("20"),
            discount=Decimal("4"),
            discount_reason="老客户",
        )
    ]
    assert issue(assistant, lines=small).discount_approved_by is None
    large = [
        LineInput(
            fee_type=fee("permit_fee"),
            unit_price=Decimal("20"),
            discount=Decimal("10"),
            discount_reason="困难户",
        )
    ]
    with pytest.raises(ValidationError, match="manager's approval"):
        issue(assistant, lines=large)
    with pytest.raises(ValidationError, match="manager's approval"):
        issue(assistant, lines=large, discount_approver=assistant)
    receipt = issue(assistant, lines=large, discount_approver=manager)
    assert (receipt.total, receipt.discount_approved_by) == (Decimal("10.00"), manager)


def test_roles_without_issue_permission_are_refused(finance, manager, auditor):
    for user in (finance, manager, auditor):
        with pytest.raises(PermissionDenied):
            issue(user)
    assert Receipt.objects.count() == 0


def test_a_submitted_day_takes_no_receipts(assistant):
    DailyCloseFactory(business_date=timezone.localdate(), state=DayState.SUBMITTED)
    with pytest.raises(ValidationError, match="were submitted"):
        issue(assistant)
    assert Receipt.objects.count() == 0


# --- void ------------------------------------------------------------------------------


def test_void_is_requested_then_approved_and_the_receipt_stays(assistant, manager):
    receipt = issue(assistant)
    with pytest.raises(ValidationError, match="needs a reason"):
        receipt_request_void(receipt=receipt, by=assistant, reason=" ")
    receipt_request_void(receipt=receipt, by=assistant, reason="金额开错")
    with pytest.raises(PermissionDenied):
        receipt_approve_void(receipt=receipt, by=assistant)
    receipt_approve_void(receipt=receipt, by=manager)
    receipt.refresh_from_db()
    assert (receipt.status, receipt.voided_by, receipt.void_reason) == (
        ReceiptStatus.VOID,
        manager,
        "金额开错",
    )
    assert Receipt.objects.filter(pk=receipt.pk).exists()
    with pytest.raises(ValidationError):
        receipt_request_void(receipt=receipt, by=assistant, reason="again")


def test_void_refused_returns_to_issued(assistant, manager):
    receipt = issue(assistant)
    receipt_request_void(receipt=receipt, by=assistant, reason="写错")
    receipt_reject_void(receipt=receipt, by=manager, comment="核对无误")
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.ISSUED
    with pytest.raises(ValidationError):
        receipt_approve_void(receipt=receipt, by=manager)


def test_no_void_once_the_day_is_submitted(assistant, manager):
    receipt = issue(assistant)
    receipt_request_void(receipt=receipt, by=assistant, reason="写错")
    close_day(receipt)
    with pytest.raises(ValidationError, match="were submitted"):
        receipt_approve_void(receipt=receipt, by=manager)
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.VOID_REQUESTED


# --- reversal --------------------------------------------------------------------------


def test_reversal_of_a_closed_day(assistant, manager):
    original = issue(assistant)
    with pytest.raises(ValidationError, match="still open"):
        receipt_reverse(receipt=original, by=manager, reason="重复收费")
    # The original's day was yesterday's and is submitted; today is open.
    yesterday = original.business_date - timedelta(days=1)
    with maintenance():  # a receipt's date is fixed once issued
        Receipt.objects.filter(pk=original.pk).update(business_date=yesterday)
    DailyCloseFactory(business_date=yesterday, state=DayState.HANDED_OVER)
    original.refresh_from_db()
    with pytest.raises(PermissionDenied):
        receipt_reverse(receipt=original, by=assistant, reason="重复收费")
    with pytest.raises(ValidationError, match="needs a reason"):
        receipt_reverse(receipt=original, by=manager, reason="")
    reversal = receipt_reverse(receipt=original, by=manager, reason="重复收费")
    assert reversal.reverses == original
    assert reversal.total == Decimal("-30.00")
    assert reversal.business_date == timezone.localdate()
    assert [(line.quantity, line.amount) for line in reversal.lines.all()] == [
        (-1, Decimal("-20.00")),
        (-1, Decimal("-10.00")),
    ]
    with pytest.raises(ValidationError, match="reversed already"):
        receipt_reverse(receipt=original, by=manager, reason="again")
    with pytest.raises(ValidationError, match="cannot itself"):
        receipt_reverse(receipt=reversal, by=manager, reason="x")


# --- pages -----------------------------------------------------------------------------


def test_issuing_through_the_page_and_a_double_click(assistant, client):
    client.force_login(assistant)
    key = uuid.uuid4()
    first = client.post(reverse("fees:receipt_create"), receipt_post(key))
    second = client.post(reverse("fees:receipt_create"), receipt_post(key))
    receipt = Receipt.objects.get()
    assert first["Location"] == second["Location"] == receipt.get_absolute_url()
    assert receipt.total == Decimal("30.00")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"lines-0-unit_price": "-20"}, "unit_price"),
        ({"lines-0-unit_price": "0"}, "unit_price"),
        ({"lines-0-unit_price": "abc"}, "unit_price"),
        ({"lines-0-unit_price": "1000000.01"}, "unit_price"),
        ({"lines-0-discount": "5"}, "discount_reason"),
    ],
)
def test_bad_line_input_gets_a_message_next_to_the_field(assistant, client, changes, field):
    client.force_login(assistant)
    response = client.post(reverse("fees:receipt_create"), receipt_post(**changes))
    assert response.status_code == 200
    assert field in response.context["formset"].forms[0].errors
    assert Receipt.objects.count() == 0


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"payer_kind": "tenant", "unit_code": "Z-9-99"}, "unit_code"),
        ({"payer_kind": "person", "payer_name": ""}, "payer_name"),
        ({"method": "alipay"}, "reference"),
        ({"approver_username": "manager", "approver_password": "wrong"}, "approver_username"),
    ],
)
def test_bad_header_input_gets_a_message(assistant, client, changes, field):
    client.force_login(assistant)
    response = client.post(reverse("fees:receipt_create"), receipt_post(**changes))
    assert field in response.context["form"].errors
    assert Receipt.objects.count() == 0


def test_an_empty_receipt_is_refused(assistant, client):
    client.force_login(assistant)
    response = client.post(
        reverse("fees:receipt_create"),
        receipt_post(
            **{
                "lines-0-fee_type": "",
                "lines-1-fee_type": "",
                "lines-0-unit_price": "",
                "lines-1-unit_price": "",
            }
        ),
    )
    assert "at least one line" in " ".join(response.context["formset"].non_form_errors())
    assert Receipt.objects.count() == 0


def test_tenant_payer_comes_from_the_unit_code(assistant, client):
    occupancy = OccupancyFactory()
    client.force_login(assistant)
    client.post(
        reverse("fees:receipt_create"),
        receipt_post(payer_kind="tenant", payer_name="", unit_code=occupancy.unit.code.lower()),
    )
    receipt = Receipt.objects.get()
    assert (receipt.tenant, receipt.unit, receipt.payer_name) == (
        occupancy.tenant,
        occupancy.unit,
        occupancy.tenant.name,
    )


@pytest.mark.parametrize(
    "role, status",
    [("assistant", 200), ("manager", 403), ("finance", 403), ("auditor", 403), ("department", 403)],
)
def test_who_may_open_the_issue_page(role, status, request, client):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("fees:receipt_create")).status_code == status


@pytest.mark.parametrize(
    "role, status",
    [("assistant", 200), ("manager", 200), ("finance", 200), ("auditor", 200), ("department", 403)],
)
def test_who_may_read_receipts(role, status, request, client, assistant):
    receipt = issue(assistant)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("fees:receipt_list")).status_code == status
    assert client.get(receipt.get_absolute_url()).status_code == status


def test_void_buttons_follow_the_roles(assistant, manager, client):
    receipt = issue(assistant)
    client.force_login(manager)
    assert (
        client.post(
            reverse("fees:receipt_request_void", args=[receipt.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(assistant)
    client.post(reverse("fees:receipt_request_void", args=[receipt.pk]), {"reason": "开错"})
    assert client.post(reverse("fees:receipt_approve_void", args=[receipt.pk])).status_code == 403
    client.force_login(manager)
    client.post(reverse("fees:receipt_approve_void", args=[receipt.pk]))
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.VOID
    # The void receipt stays in the list, marked.
    page = client.get(reverse("fees:receipt_list"))
    rows = list(page.context["table"].page.object_list.data)
    assert [(r.number, r.status) for r in rows] == [(receipt.number, ReceiptStatus.VOID)]


def test_receipt_list_queries_do_not_grow(assistant, flat_queries):
    flat_queries(reverse("fees:receipt_list"), lambda: issue(assistant), queries=9, user=assistant)


def test_receipt_pdf_carries_the_figures_and_capital_amount(assistant, client):
    receipt = issue(
        assistant,
        lines=[
            LineInput(fee_type=fee("permit_fee"), unit_price=Decimal("20.00"), quantity=5),
            LineInput(fee_type=fee("card_fee"), unit_price=Decimal("10.00"), quantity=5),
            LineInput(fee_type=fee("waste_removal"), unit_price=Decimal("1084.56")),
        ],
    )
    client.force_login(assistant)
    response = client.post(reverse("fees:receipt_print", args=[receipt.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(__import__("io").BytesIO(response.content)).pages[0].extract_text()
    assert receipt.number in text
    assert "¥1,234.56" in text
    assert "壹仟贰佰叁拾肆元伍角陆分" in text
    assert "现金" in text or "Cash" in text


def test_verification_page_is_public_and_minimal(assistant, client):
    receipt = issue(assistant, payer=Payer(kind="person", name="保密的名字"))
    response = client.get(reverse("verify_receipt", args=[receipt.token]))
    page = response.content.decode()
    assert response.status_code == 200
    assert receipt.number in page and "30.00" in page
    assert "保密的名字" not in page
    assert client.get(reverse("verify_receipt", args=["not-a-token"])).status_code == 404
    # The token is random: the number alone does not open the page.
    assert client.get(reverse("verify_receipt", args=[receipt.number])).status_code == 404


def test_the_administrator_keeps_the_fee_catalogue(make_user, client):
    from config.roles import Role

    admin_user = make_user("keeper", Role.ADMINISTRATOR, is_staff=True)
    client.force_login(admin_user)
    permit = fee("permit_fee")
    url = reverse("admin:fees_feetype_change", args=[permit.pk])
    assert client.get(url).status_code == 200
    data = {
        "code": "permit_fee",
        "name_zh": "办证费",
        "name_en": "Permit fee",
        "category": "fee",
        "default_amount": "25.00",
        "active": "on",
        "sort_order": "10",
    }
    assert client.post(url, data).status_code == 302
    permit.refresh_from_db()
    assert permit.default_amount == Decimal("25.00")
    assert (
        client.post(
            reverse("admin:fees_feetype_delete", args=[permit.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_the_assistant_cannot_change_the_catalogue(assistant, client):
    client.force_login(assistant)
    assert client.get(reverse("admin:fees_feetype_changelist")).status_code == 302  # not staff


def test_a_bad_price_gets_one_message_not_two(assistant, client):
    client.force_login(assistant)
    response = client.post(
        reverse("fees:receipt_create"), receipt_post(**{"lines-0-unit_price": "-5"})
    )
    assert response.context["formset"].forms[0].errors["unit_price"] == [
        "Enter an amount from 0.01 to 1000000.00 yuan in plain digits with at most two "
        "decimals, e.g. 35 or 35.50 (no commas)."
    ]
