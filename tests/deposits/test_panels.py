"""The deposits' home panels: what each role finds waiting for it, linked to the record."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deposits.enums import RefundStatus
from deposits.models import Inspection
from deposits.panels import (
    applications_to_approve_panel,
    refunds_to_approve_panel,
    refunds_to_pay_panel,
    refunds_to_prepare_panel,
    returned_refunds_panel,
)
from tests.factories.deposits import (
    DecorationApplicationFactory,
    DepositFactory,
    RefundFactory,
    accepted_deposit,
    back_dated,
)

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = date(2026, 10, 14)


def passed_on(deposit, day: date) -> None:
    with back_dated():
        Inspection.objects.filter(application=deposit.application_id).update(inspected_on=day)


def test_the_desk_sees_the_gates_that_opened_the_latest_first_with_their_clock(assistant):
    older, newer = accepted_deposit(), accepted_deposit(amount=D("1200.50"))
    DepositFactory()  # its gate is closed
    RefundFactory()  # a refund is under way
    passed_on(older, date(2026, 9, 22))
    passed_on(newer, date(2026, 9, 30))
    with back_dated():  # taken before the acceptance, as a deposit is
        for deposit in (older, newer):
            type(deposit).objects.filter(pk=deposit.pk).update(
                taken_at=timezone.make_aware(datetime.combine(date(2026, 9, 1), time(10)))
            )
    panel = refunds_to_prepare_panel(assistant, TODAY)
    assert panel.count == 2
    assert panel.items == [
        (
            f"{newer.application.unit.code} · Decoration deposit #{newer.pk} · 1,200.50",
            reverse("deposits:deposit_detail", args=[newer.pk]),
            "6 of 10 working days",
        ),
        (
            f"{older.application.unit.code} · Decoration deposit #{older.pk} · 5,000.00",
            reverse("deposits:deposit_detail", args=[older.pk]),
            "11 of 10 working days · late",
        ),
    ]
    assert panel.link == reverse("deposits:ledger")


def test_the_desk_sees_the_refunds_the_manager_returned(assistant):
    returned = RefundFactory(status=RefundStatus.RETURNED)
    waiting = RefundFactory()  # waiting for the manager
    panel = returned_refunds_panel(assistant, TODAY)
    assert (panel.count, panel.items) == (
        1,
        [
            (
                f"Decoration deposit #{returned.deposit_id} · {returned.payee}",
                reverse("deposits:refund_detail", args=[returned.pk]),
                "扣款依据不足",
            )
        ],
    )
    # Prepared again, it is no longer the desk's to take up: it waits for the manager.
    again = RefundFactory(deposit=returned.deposit)
    assert returned_refunds_panel(assistant, TODAY).count == 0
    assert [item[1] for item in refunds_to_approve_panel(assistant, TODAY).items] == [
        reverse("deposits:refund_detail", args=[waiting.pk]),
        reverse("deposits:refund_detail", args=[again.pk]),
    ]


def test_the_manager_approves_refunds_and_applications_finance_pays(manager, finance):
    requested = RefundFactory()
    approved = RefundFactory(status=RefundStatus.APPROVED)
    RefundFactory(status=RefundStatus.PAID)
    application = DecorationApplicationFactory()
    DecorationApplicationFactory(status="approved")

    to_approve = refunds_to_approve_panel(manager, TODAY)
    assert (to_approve.count, to_approve.items) == (
        1,
        [
            (
                f"Decoration deposit #{requested.deposit_id} · {requested.payee}",
                reverse("deposits:refund_detail", args=[requested.pk]),
                "4,700.00",
            )
        ],
    )
    decorations = applications_to_approve_panel(manager, TODAY)
    assert (decorations.count, decorations.items) == (
        1,
        [
            (
                f"{application.number} · {application.unit.code}",
                reverse("deposits:application_detail", args=[application.pk]),
                str(application.tenant),
            )
        ],
    )
    to_pay = refunds_to_pay_panel(finance, TODAY)
    assert (to_pay.count, [item[1:] for item in to_pay.items]) == (
        1,
        [(reverse("deposits:refund_detail", args=[approved.pk]), "4,700.00")],
    )


def test_the_home_page_shows_each_role_its_deposit_panels(client, assistant, manager, finance):
    accepted_deposit()
    RefundFactory()
    RefundFactory(status=RefundStatus.APPROVED)
    titles = {}
    for user in (assistant, manager, finance):
        client.force_login(user)
        sections = client.get(reverse("home")).context["sections"]
        titles[user.username] = {
            str(panel.title): panel.count for _label, panels in sections for panel in panels
        }
    assert titles["assistant"]["Refunds to prepare"] == 1
    assert titles["assistant"]["Refunds returned by the manager"] == 0
    assert titles["manager"]["Refunds to approve"] == 1
    assert titles["manager"]["Decoration applications to approve"] == 0
    assert titles["finance"]["Approved refunds to pay"] == 1
