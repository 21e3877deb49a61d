"""The deposit pages: the list with what each deposit holds, a deposit's page with its refund
gate as a checklist (each open item linked to where it is put right), recording a deposit
taken at the receipt desk, forfeiting, and a deduction's photo."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deposits.enums import ApplicationStatus, DeductionKind, DepositKind, DepositStatus
from deposits.models import Deduction, Deposit
from deposits.selectors.deposits import deposit_balance
from fees.enums import PayerKind
from tests.factories.deposits import (
    ApplicationPermitFactory,
    DecorationApplicationFactory,
    DeductionPhotoFactory,
    DepositFactory,
    accepted_deposit,
)
from tests.factories.fees import ReceiptFactory

pytestmark = pytest.mark.django_db
D = Decimal


def gate_of(page) -> dict[str, tuple[bool, list]]:
    """{item: (done, [(reason, url)])} as the page lists it."""
    return {
        row.item: (row.done, [(b.reason, b.url) for b in row.blockers])
        for row in page.context["gate"]
    }


# --- the list -----------------------------------------------------------------------------


def test_the_list_shows_each_deposits_balance(client, assistant, manager):
    deposit = accepted_deposit()
    from deposits.services.deposits import deposit_forfeit
    from deposits.validators import DeductionInput

    deposit_forfeit(
        by=manager,
        deposit=deposit,
        deductions=[
            DeductionInput(kind=DeductionKind.DAMAGE, reason="玻璃门破损", amount=D("800.00"))
        ],
    )
    client.force_login(assistant)
    page = client.get(reverse("deposits:deposit_list"))
    assert page.status_code == 200
    [row] = page.context["table"].page.object_list
    assert (row.record.pk, row.record.amount, row.record.deducted, row.record.balance) == (
        deposit.pk,
        D("5000.00"),
        D("800.00"),
        D("4200.00"),
    )
    assert "¥4,200.00" in page.content.decode()


def test_the_list_filters_by_kind_status_and_unit(client, assistant):
    deposit = DepositFactory()
    other = DepositFactory()
    client.force_login(assistant)
    url = reverse("deposits:deposit_list")

    def shown(query: str) -> set[int]:
        page = client.get(url + query)
        return {row.record.pk for row in page.context["table"].page.object_list}

    assert shown("?kind=decoration") == {deposit.pk, other.pk}
    assert shown("?kind=permit_card") == set()
    assert shown("?status=held") == {deposit.pk, other.pk}
    assert shown("?status=refunded") == set()
    assert shown(f"?unit={deposit.unit.code}") == {deposit.pk}
    assert shown(f"?tenant={other.tenant.name}") == {other.pk}
    taken = timezone.localdate(deposit.taken_at).isoformat()
    assert shown(f"?taken_from={taken}&taken_to={taken}") == {deposit.pk, other.pk}


def test_the_list_queries_do_not_grow_with_rows(assistant, flat_queries):
    flat_queries(reverse("deposits:deposit_list"), DepositFactory, queries=8, user=assistant)


# --- a deposit's page: its gate -----------------------------------------------------------


def test_an_open_gate_links_each_blocker_to_where_it_is_fixed(client, assistant):
    link = ApplicationPermitFactory()  # a decoration in progress with a permit out
    deposit = DepositFactory(application=link.application)
    client.force_login(assistant)
    page = client.get(reverse("deposits:deposit_detail", args=[deposit.pk]))
    assert page.status_code == 200
    gate = gate_of(page)
    assert list(gate) == ["inspection", "violations", "permits", "charges", "receipt"]
    application = deposit.application
    permit = link.permit
    assert gate["inspection"] == (
        False,
        [
            (
                f"Decoration {application.number} is in progress: its final inspection has "
                "not passed.",
                reverse("deposits:application_detail", args=[application.pk]),
            )
        ],
    )
    assert gate["permits"] == (
        False,
        [
            (
                f"Permit {permit.number} ({permit.worker_name}) is active: its card has not "
                "come back.",
                reverse("fees:permit_detail", args=[permit.pk]),
            )
        ],
    )
    assert gate["violations"] == (True, [])
    assert gate["charges"] == (True, [])
    assert gate["receipt"][0] is False  # ticked with the request
    html = page.content.decode()
    assert f'href="{reverse("fees:permit_detail", args=[permit.pk])}"' in html
    assert 'id="prepare-refund"' in html


def test_the_page_shows_the_facts_and_the_receipt(client, auditor):
    deposit = accepted_deposit()
    client.force_login(auditor)
    page = client.get(reverse("deposits:deposit_detail", args=[deposit.pk]))
    html = page.content.decode()
    receipt = deposit.receipt_line.receipt
    assert f'<a href="{receipt.get_absolute_url()}" id="receipt-link">{receipt.number}</a>' in html
    assert page.context["deposit"].balance == D("5000.00")
    # The auditor reads: no button to prepare or forfeit.
    assert 'id="prepare-refund"' not in html
    assert 'id="forfeit"' not in html


# --- recording a deposit taken at the receipt desk ----------------------------------------


def desk_deposit_line(application, amount="3000.00"):
    receipt = ReceiptFactory(
        payer_kind=PayerKind.TENANT,
        tenant=application.tenant,
        unit=application.unit,
        lines=[("decoration_deposit", amount, 1)],
    )
    return receipt.lines.get()


def test_recording_a_decoration_deposit_from_the_receipt_desk(client, assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    line = desk_deposit_line(application)
    client.force_login(assistant)
    url = reverse("deposits:deposit_record")
    page = client.get(url)
    assert list(page.context["form"].fields["line"].queryset) == [line]

    response = client.post(url, {"line": line.pk, "application": application.pk})
    deposit = Deposit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == deposit.get_absolute_url()
    assert (deposit.kind, deposit.amount, deposit.application, deposit.status) == (
        DepositKind.DECORATION,
        D("3000.00"),
        application,
        DepositStatus.HELD,
    )
    # Recorded whole, the line is offered no more.
    assert list(client.get(url).context["form"].fields["line"].queryset) == []


def test_a_decoration_deposit_without_its_decoration_is_refused_next_to_the_field(
    client, assistant
):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    line = desk_deposit_line(application)
    client.force_login(assistant)
    page = client.post(reverse("deposits:deposit_record"), {"line": line.pk})
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "application": ["Name the decoration the deposit is for."]
    }
    assert Deposit.objects.count() == 0


def test_only_the_desk_records_deposits(client, manager):
    client.force_login(manager)
    assert client.get(reverse("deposits:deposit_record")).status_code == 403


# --- forfeiture ---------------------------------------------------------------------------


def forfeit_post(*rows) -> dict:
    data = {
        "deductions-TOTAL_FORMS": str(len(rows)),
        "deductions-INITIAL_FORMS": "0",
        "deductions-MIN_NUM_FORMS": "0",
        "deductions-MAX_NUM_FORMS": "20",
    }
    for index, (kind, reason, amount) in enumerate(rows):
        data |= {
            f"deductions-{index}-kind": kind,
            f"deductions-{index}-reason": reason,
            f"deductions-{index}-amount": amount,
        }
    return data


def test_the_manager_forfeits_part_then_the_rest(client, manager):
    deposit = accepted_deposit()
    client.force_login(manager)
    url = reverse("deposits:deposit_forfeit", args=[deposit.pk])
    response = client.post(url, forfeit_post(("damage", "地砖破损", "1200.00")))
    assert response.status_code == 302
    deposit.refresh_from_db()
    assert (deposit.status, deposit_balance(deposit)) == (DepositStatus.HELD, D("3800.00"))

    client.post(
        url, forfeit_post(("violation", "违规施工", "3000.00"), ("other", "清运", "800.00"))
    )
    deposit.refresh_from_db()
    assert (deposit.status, deposit_balance(deposit)) == (DepositStatus.FORFEITED, D("0.00"))
    assert list(Deduction.objects.order_by("pk").values_list("amount", flat=True)) == [
        D("1200.00"),
        D("3000.00"),
        D("800.00"),
    ]
    # Closed: no more forfeiting.
    page = client.post(url, forfeit_post(("damage", "x", "1.00")))
    assert page.status_code == 200
    assert page.context["formset"].non_form_errors() == [
        "Only a held deposit, with no refund under way, can be forfeited."
    ]


def test_keeping_more_than_is_held_is_refused_and_keeps_nothing(client, manager):
    deposit = accepted_deposit()
    client.force_login(manager)
    page = client.post(
        reverse("deposits:deposit_forfeit", args=[deposit.pk]),
        forfeit_post(("damage", "地砖破损", "5000.01")),
    )
    assert page.status_code == 200
    assert page.context["formset"].non_form_errors() == [
        "The deposit holds ¥5,000.00: ¥5,000.01 cannot be kept from it."
    ]
    assert Deduction.objects.count() == 0


def test_a_deduction_row_without_its_reason_is_refused_next_to_the_field(client, manager):
    deposit = accepted_deposit()
    client.force_login(manager)
    page = client.post(
        reverse("deposits:deposit_forfeit", args=[deposit.pk]),
        forfeit_post(("damage", "", "100.00")),
    )
    assert page.context["formset"].forms[0].errors == {"reason": ["Say why the amount is kept."]}
    assert Deduction.objects.count() == 0


def test_the_desk_cannot_forfeit(client, assistant):
    deposit = accepted_deposit()
    client.force_login(assistant)
    url = reverse("deposits:deposit_forfeit", args=[deposit.pk])
    assert client.post(url, forfeit_post(("damage", "x", "1.00"))).status_code == 403
    assert Deduction.objects.count() == 0


# --- a deduction's photo ------------------------------------------------------------------


def test_a_deduction_photo_is_served_as_a_jpeg_attachment(client, auditor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = DeductionPhotoFactory()
    client.force_login(auditor)
    response = client.get(reverse("deposits:deduction_photo", args=[photo.deduction_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        f'attachment; filename="deduction-{photo.deduction_id}.jpg"'
    )
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
