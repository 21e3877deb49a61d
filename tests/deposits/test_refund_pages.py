"""The refund procedure through its pages: the desk prepares (the gate shown; refused while
an item is open, each named), the manager approves or returns (never their own request),
finance pays; every allowed and refused step, and the list with the days waiting."""

from decimal import Decimal

import pytest
from django.urls import reverse

from config.roles import Role
from deposits.enums import DepositStatus, RefundStatus
from deposits.models import Deduction, DeductionPhoto, Deposit, Refund
from deposits.selectors.deposits import deposit_balance
from fees.services.permits import permit_return
from tests.factories.deposits import (
    ApplicationPermitFactory,
    DepositFactory,
    RefundFactory,
    accepted_deposit,
    advance,
    today,
)
from tests.factories.fees import ChargeFactory
from tests.images import png_bytes

pytestmark = pytest.mark.django_db
D = Decimal


def prepare_post(*rows, amount="4700.00", payee="张三", collected=True, **extra) -> dict:
    data = {
        "refund-payee": payee,
        "refund-amount": amount,
        "deductions-TOTAL_FORMS": str(max(len(rows), 1)),
        "deductions-INITIAL_FORMS": "0",
        "deductions-MIN_NUM_FORMS": "0",
        "deductions-MAX_NUM_FORMS": "20",
        **extra,
    }
    if collected:
        data["refund-receipt_collected"] = "on"
    for index, row in enumerate(rows):
        kind, reason, value, *charge = row
        data |= {
            f"deductions-{index}-kind": kind,
            f"deductions-{index}-reason": reason,
            f"deductions-{index}-amount": value,
            f"deductions-{index}-charge": charge[0] if charge else "",
        }
    return data


def prepare_url(deposit) -> str:
    return reverse("deposits:refund_prepare", args=[deposit.pk])


def messages_of(response) -> list[str]:
    """The messages this request added (not those still unread from earlier ones)."""
    return [str(m) for m in response.wsgi_request._messages._queued_messages]


# --- prepare ------------------------------------------------------------------------------


def test_the_desk_prepares_a_refund_with_a_deduction_and_its_photo(
    client, assistant, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    deposit = accepted_deposit()
    client.force_login(assistant)
    page = client.get(prepare_url(deposit))
    assert page.status_code == 200
    assert (page.context["held"], page.context["left"]) == (D("5000.00"), D("5000.00"))
    assert page.context["form"]["amount"].value() == D("5000.00")

    from django.core.files.uploadedfile import SimpleUploadedFile

    data = prepare_post(("damage", "地砖破损", "300.00"))
    data["deductions-0-photo"] = SimpleUploadedFile("t.png", png_bytes(), "image/png")
    response = client.post(prepare_url(deposit), data)
    refund = Refund.objects.get()
    assert response.status_code == 302
    assert response["Location"] == refund.get_absolute_url()
    assert (refund.status, refund.held, refund.deducted, refund.amount, refund.payee) == (
        RefundStatus.REQUESTED,
        D("5000.00"),
        D("300.00"),
        D("4700.00"),
        "张三",
    )
    assert refund.prepared_by == assistant
    photo = DeductionPhoto.objects.get()
    assert photo.deduction.refund == refund
    assert photo.image.name.endswith(".jpg")
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.REFUND_REQUESTED


def test_the_preview_works_out_the_refund_amount_and_writes_nothing(client, assistant):
    deposit = accepted_deposit()
    client.force_login(assistant)
    page = client.post(
        prepare_url(deposit),
        prepare_post(("damage", "a", "300.00"), ("other", "b", "0.50"), amount="1", preview="1"),
    )
    assert page.status_code == 200
    assert page.context["left"] == D("4699.50")
    assert page.context["form"]["amount"].value() == "4699.50"
    assert Refund.objects.count() == 0


def test_a_refund_above_the_balance_is_refused_next_to_the_amount(client, assistant):
    deposit = accepted_deposit()
    client.force_login(assistant)
    page = client.post(
        prepare_url(deposit), prepare_post(("damage", "a", "300.00")) | {"refund-amount": "4700.01"}
    )
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "amount": ["At most ¥4,700.00 can be refunded: ¥5,000.00 held less ¥300.00 deducted."]
    }
    assert 'id="id_refund-amount_error"' in page.content.decode()
    assert (Refund.objects.count(), Deduction.objects.count()) == (0, 0)
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.HELD


def test_a_refund_short_of_the_balance_must_itemise_the_rest(client, assistant):
    deposit = accepted_deposit()
    client.force_login(assistant)
    page = client.post(prepare_url(deposit), prepare_post(amount="4000.00"))
    assert page.context["form"].errors == {
        "amount": [
            "The refund of ¥4,000.00 and the deductions leave ¥1,000.00 of the ¥5,000.00 held "
            "unaccounted for: itemise it as a deduction with its reason."
        ]
    }
    assert Refund.objects.count() == 0


def test_the_gate_refuses_while_a_permit_is_active_and_opens_when_it_is_returned(client, assistant):
    link = ApplicationPermitFactory()
    deposit = DepositFactory(application=link.application)
    advance(deposit.application, "passed")
    permit = link.permit
    client.force_login(assistant)

    page = client.get(prepare_url(deposit))
    rows = {row.item: row for row in page.context["gate"]}
    assert rows["permits"].done is False
    assert [b.url for b in rows["permits"].blockers] == [
        reverse("fees:permit_detail", args=[permit.pk])
    ]
    assert page.context["gate_ready"] is False

    page = client.post(prepare_url(deposit), prepare_post(amount="5000.00"))
    assert page.status_code == 200
    assert page.context["form"].non_field_errors() == [
        "The refund cannot be requested yet. Every permit returned or charged as lost: Permit "
        f"{permit.number} ({permit.worker_name}) is active: its card has not come back."
    ]
    assert Refund.objects.count() == 0

    permit_return(by=assistant, permit=permit)
    page = client.get(prepare_url(deposit))
    assert {row.item: row.done for row in page.context["gate"]}["permits"] is True
    response = client.post(prepare_url(deposit), prepare_post(amount="5000.00"))
    assert response.status_code == 302
    assert Refund.objects.get().amount == D("5000.00")


def test_without_the_original_receipt_the_request_is_refused(client, assistant):
    deposit = accepted_deposit()
    client.force_login(assistant)
    page = client.post(prepare_url(deposit), prepare_post(amount="5000.00", collected=False))
    assert page.context["form"].non_field_errors() == [
        "The refund cannot be requested yet. Original receipt collected: The original receipt "
        "(customer copy) was not collected."
    ]
    assert Refund.objects.count() == 0


def test_an_unpaid_charge_deducted_whole_opens_its_item(client, assistant):
    deposit = accepted_deposit()
    charge = ChargeFactory(tenant=deposit.application.tenant, amount=D("260.00"))
    client.force_login(assistant)
    page = client.get(prepare_url(deposit))
    rows = {row.item: row for row in page.context["gate"]}
    assert [b.url for b in rows["charges"].blockers] == [charge.get_absolute_url()]
    assert list(page.context["formset"].forms[0].fields["charge"].queryset) == [charge]

    response = client.post(
        prepare_url(deposit),
        prepare_post(("unpaid_charge", "欠缴垃圾清运费", "260.00", charge.pk), amount="4740.00"),
    )
    assert response.status_code == 302
    assert Refund.objects.get().deductions.get().charge == charge


def test_a_charge_chosen_alone_is_deducted_whole_for_what_it_says(client, assistant):
    deposit = accepted_deposit()
    tenant = deposit.application.tenant
    charges = [
        ChargeFactory(tenant=tenant, amount=D(amount), description=what)
        for amount, what in (("260.00", "十一月垃圾清运费"), ("90.50", "电费"), ("42.00", "水费"))
    ]
    client.force_login(assistant)
    page = client.get(prepare_url(deposit))
    assert len(page.context["formset"].forms) == 4  # a row for each charge, and one more

    rows = [("", "", "", charge.pk) for charge in charges]
    response = client.post(prepare_url(deposit), prepare_post(*rows, amount="4607.50"))
    assert response.status_code == 302
    kept = Refund.objects.get().deductions.order_by("pk")
    assert [(d.kind, d.reason, d.amount, d.charge) for d in kept] == [
        ("unpaid_charge", "十一月垃圾清运费", D("260.00"), charges[0]),
        ("unpaid_charge", "电费", D("90.50"), charges[1]),
        ("unpaid_charge", "水费", D("42.00"), charges[2]),
    ]


def test_only_the_desk_prepares(client, manager):
    deposit = accepted_deposit()
    client.force_login(manager)
    assert client.post(prepare_url(deposit), prepare_post(amount="5000.00")).status_code == 403
    assert Refund.objects.count() == 0


def test_a_second_request_while_one_is_under_way_is_refused(client, assistant):
    refund = RefundFactory()
    client.force_login(assistant)
    page = client.post(prepare_url(refund.deposit), prepare_post(("damage", "a", "300.00")))
    assert page.context["form"].non_field_errors() == [
        "Only a held deposit with no refund under way can be refunded."
    ]
    assert Refund.objects.count() == 1


# --- approve, return ----------------------------------------------------------------------


def test_the_manager_approves(client, manager):
    refund = RefundFactory()
    client.force_login(manager)
    page = client.get(refund.get_absolute_url())
    assert page.context["can_decide"] is True
    response = client.post(reverse("deposits:refund_approve", args=[refund.pk]))
    assert response.status_code == 302
    assert messages_of(response) == ["The refund is approved: finance pays it."]
    refund.refresh_from_db()
    assert (refund.status, refund.decided_by) == (RefundStatus.APPROVED, manager)
    assert Deposit.objects.get(pk=refund.deposit_id).status == DepositStatus.APPROVED


def test_who_prepared_a_refund_cannot_approve_it(client, make_user):
    both = make_user("desk-and-manager", Role.ASSISTANT, Role.MANAGER)
    refund = RefundFactory(prepared_by=both)
    client.force_login(both)
    page = client.get(refund.get_absolute_url())
    assert (page.context["can_decide"], page.context["decide_by_another"]) == (False, True)
    response = client.post(reverse("deposits:refund_approve", args=[refund.pk]))
    assert messages_of(response) == [
        "You prepared this refund: another manager must approve or return it."
    ]
    response = client.post(reverse("deposits:refund_return", args=[refund.pk]), {"comment": "x"})
    assert messages_of(response) == [
        "You prepared this refund: another manager must approve or return it."
    ]
    refund.refresh_from_db()
    assert (refund.status, refund.decided_by) == (RefundStatus.REQUESTED, None)


def test_the_manager_returns_with_a_comment_and_the_deposit_is_held_again(client, manager):
    refund = RefundFactory()
    client.force_login(manager)
    url = reverse("deposits:refund_return", args=[refund.pk])
    response = client.post(url, {"comment": ""})
    assert messages_of(response) == ["why it is returned: This field is required."]
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.REQUESTED

    response = client.post(url, {"comment": "扣款依据不足"})
    refund.refresh_from_db()
    assert (refund.status, refund.return_comment) == (RefundStatus.RETURNED, "扣款依据不足")
    deposit = Deposit.objects.get(pk=refund.deposit_id)
    assert (deposit.status, deposit_balance(deposit)) == (DepositStatus.HELD, D("5000.00"))
    # Returned: nothing more to decide.
    response = client.post(reverse("deposits:refund_approve", args=[refund.pk]))
    assert messages_of(response) == ["Only a refund awaiting approval can be approved."]


def test_the_desk_and_finance_cannot_decide(client, assistant, finance):
    refund = RefundFactory()
    for user in (assistant, finance):
        client.force_login(user)
        assert client.post(reverse("deposits:refund_approve", args=[refund.pk])).status_code == 403
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.REQUESTED


# --- pay ----------------------------------------------------------------------------------


def pay_post(method="transfer", reference="TX-20261201", paid_on=None) -> dict:
    return {"method": method, "reference": reference, "paid_on": (paid_on or today()).isoformat()}


def test_finance_pays_an_approved_refund(client, finance):
    refund = RefundFactory(status=RefundStatus.APPROVED)
    client.force_login(finance)
    page = client.get(refund.get_absolute_url())
    assert page.context["can_pay"] is True
    response = client.post(reverse("deposits:refund_pay", args=[refund.pk]), pay_post())
    assert messages_of(response) == [
        "The refund of ¥4,700.00 is paid; the payee signs the printed form."
    ]
    refund.refresh_from_db()
    assert (refund.status, refund.method, refund.reference, refund.paid_by) == (
        RefundStatus.PAID,
        "transfer",
        "TX-20261201",
        finance,
    )
    deposit = Deposit.objects.get(pk=refund.deposit_id)
    assert (deposit.status, deposit_balance(deposit)) == (DepositStatus.REFUNDED, D("0.00"))


def test_a_refund_not_approved_cannot_be_paid(client, finance):
    refund = RefundFactory()
    client.force_login(finance)
    response = client.post(reverse("deposits:refund_pay", args=[refund.pk]), pay_post())
    assert messages_of(response) == ["Only an approved refund can be paid."]
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.REQUESTED


def test_a_transfer_without_its_reference_is_refused(client, finance):
    refund = RefundFactory(status=RefundStatus.APPROVED)
    client.force_login(finance)
    response = client.post(reverse("deposits:refund_pay", args=[refund.pk]), pay_post(reference=""))
    assert messages_of(response) == [
        "A non-cash payment needs its reference (transaction or voucher number)."
    ]
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.APPROVED


def test_a_paid_refund_is_paid_once(client, finance):
    refund = RefundFactory(status=RefundStatus.PAID)
    client.force_login(finance)
    response = client.post(reverse("deposits:refund_pay", args=[refund.pk]), pay_post())
    assert messages_of(response) == ["Only an approved refund can be paid."]


def test_the_desk_and_the_manager_cannot_pay(client, assistant, manager):
    refund = RefundFactory(status=RefundStatus.APPROVED)
    for user in (assistant, manager):
        client.force_login(user)
        response = client.post(reverse("deposits:refund_pay", args=[refund.pk]), pay_post())
        assert response.status_code == 403
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.APPROVED


# --- the list -----------------------------------------------------------------------------


def test_the_list_by_status_with_the_days_waiting(client, auditor):
    waiting = RefundFactory()
    paid = RefundFactory(status=RefundStatus.PAID)
    client.force_login(auditor)
    page = client.get(reverse("deposits:refund_list") + "?status=requested")
    rows = page.context["table"].page.object_list
    assert [row.record.pk for row in rows] == [waiting.pk]
    assert rows[0].get_cell("waiting") == '<span class="waiting">0</span>'
    page = client.get(reverse("deposits:refund_list") + "?status=paid")
    [row] = page.context["table"].page.object_list
    assert (row.record.pk, row.get_cell("waiting")) == (paid.pk, "—")


def test_the_refund_list_queries_do_not_grow_with_rows(auditor, flat_queries):
    flat_queries(reverse("deposits:refund_list"), RefundFactory, queries=8, user=auditor)


def test_an_approved_or_paid_refund_is_decided_no_more(client, make_user):
    other_manager = make_user("manager-2", Role.MANAGER)
    client.force_login(other_manager)
    for status in (RefundStatus.APPROVED, RefundStatus.PAID):
        refund = RefundFactory(status=status)
        response = client.post(reverse("deposits:refund_approve", args=[refund.pk]))
        assert messages_of(response) == ["Only a refund awaiting approval can be approved."]
        response = client.post(
            reverse("deposits:refund_return", args=[refund.pk]), {"comment": "重新核对"}
        )
        assert messages_of(response) == ["Only a refund awaiting approval can be returned."]
        refund.refresh_from_db()
        assert (refund.status, refund.return_comment) == (status, "")
