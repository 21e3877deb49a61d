"""The manager's on-the-spot approval of a discount at the desk: the password is checked
against that account alone (never a login: the manager's own login is never locked by
it), tries are throttled on their own by desk and by approver, and every try is recorded
with who asked, which approver, when, the outcome and the receipt it led to."""

from datetime import timedelta
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.urls import reverse

from config.permanence import maintenance
from config.roles import Role
from fees.enums import ApprovalOutcome
from fees.models import DiscountApproval, Receipt
from fees.services.receipts import discount_approval_ask
from tests.concurrency import at_once
from tests.factories.finance import receipt_post

pytestmark = pytest.mark.django_db
D = Decimal

PASSWORD = "pw-for-tests-1"  # every make_user's
WRONG = "The manager's user name or password is wrong, or the user cannot approve discounts."
THROTTLED = (
    "Too many wrong passwords for the manager's approval at this desk or for this manager: "
    "try again in 15 minutes."
)
OWN = "You cannot approve a discount on a receipt you issue: another manager must."
# The permit fee of 20.00 with 5.00 off: a quarter, over the 20% the desk may give alone.
QUARTER_OFF = {"lines-0-discount": "5", "lines-0-discount_reason": "老客户"}


def ask(client, username, password, **changes):
    """Send the receipt form with the manager's name and password typed in."""
    data = receipt_post(
        approver_username=username, approver_password=password, **QUARTER_OFF, **changes
    )
    return client.post(reverse("fees:receipt_create"), data)


def earlier(**delta):
    """Time passes: every try recorded so far moves back by ``delta`` (a try is fixed once
    recorded, config.permanence: the tests' time travel goes past the refusal)."""
    with maintenance():
        DiscountApproval.objects.update(asked_at=F("asked_at") - timedelta(**delta))


def field_errors(response) -> list[str]:
    return response.context["form"].errors.get("approver_username", [])


def tries() -> list[tuple]:
    return list(
        DiscountApproval.objects.order_by("pk").values_list(
            "asked_by__username", "approver_username", "approver__username", "outcome", "receipt"
        )
    )


def test_the_right_password_approves_and_the_try_names_the_receipt(assistant, manager, client):
    client.force_login(assistant)
    response = ask(client, "manager", PASSWORD)
    receipt = Receipt.objects.get()
    assert response.status_code == 302
    assert (receipt.total, receipt.discount_approved_by) == (D("25.00"), manager)
    approval = DiscountApproval.objects.get()
    assert (
        approval.asked_by,
        approval.approver,
        approval.approver_username,
        approval.outcome,
        approval.receipt,
        approval.terminal,
    ) == (assistant, manager, "manager", ApprovalOutcome.GRANTED, receipt, "127.0.0.1")


def test_a_wrong_password_is_refused_next_to_the_field_and_recorded(assistant, manager, client):
    client.force_login(assistant)
    response = ask(client, "manager", "guess")
    assert (response.status_code, field_errors(response)) == (200, [WRONG])
    assert Receipt.objects.count() == 0
    assert tries() == [("assistant", "manager", "manager", "wrong_password", None)]


def test_an_unknown_name_and_a_user_who_may_not_approve_read_alike(make_user, assistant, client):
    make_user("desk2", Role.ASSISTANT)
    client.force_login(assistant)
    assert field_errors(ask(client, "nobody", PASSWORD)) == [WRONG]
    assert field_errors(ask(client, "desk2", PASSWORD)) == [WRONG]
    assert tries() == [
        ("assistant", "nobody", None, "wrong_password", None),
        ("assistant", "desk2", "desk2", "not_allowed", None),
    ]


def test_who_issues_the_receipt_does_not_approve_its_discount(make_user, client):
    deputy = make_user("deputy", Role.ASSISTANT, Role.MANAGER)
    client.force_login(deputy)
    assert field_errors(ask(client, "deputy", PASSWORD)) == [OWN]
    assert tries() == [("deputy", "deputy", "deputy", "own_receipt", None)]
    assert Receipt.objects.count() == 0


def test_a_superuser_at_the_desk_does_not_approve_their_own_discount(make_user, client):
    boss = make_user("boss", is_superuser=True)
    client.force_login(boss)
    assert field_errors(ask(client, "boss", PASSWORD)) == [OWN]
    assert tries() == [("boss", "boss", "boss", "own_receipt", None)]


def test_six_wrong_passwords_throttle_the_approval_but_not_the_managers_login(
    assistant, manager, client
):
    client.force_login(assistant)
    answers = [field_errors(ask(client, "manager", f"guess-{n}")) for n in range(6)]
    assert answers == [[WRONG]] * 5 + [[THROTTLED]]
    # While throttled, even the right password is not tried.
    assert field_errors(ask(client, "manager", PASSWORD)) == [THROTTLED]
    assert [outcome for *_rest, outcome, _receipt in tries()] == ["wrong_password"] * 5 + [
        "throttled"
    ] * 2
    assert Receipt.objects.count() == 0

    # The manager's own login knows nothing of it: no failed login, no lock.
    assert (AccessAttempt.objects.count(), AccessFailureLog.objects.count()) == (0, 0)
    client.logout()
    response = client.post(reverse("login"), {"username": "manager", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    assert client.session["_auth_user_id"] == str(manager.pk)

    # Fifteen minutes after the wrong passwords, the right one approves.
    earlier(minutes=15)
    client.force_login(assistant)
    assert ask(client, "manager", PASSWORD).status_code == 302
    receipt = Receipt.objects.get()
    assert DiscountApproval.objects.get(receipt=receipt).outcome == ApprovalOutcome.GRANTED


def test_the_throttle_counts_per_approver_across_desks(make_user, assistant, manager, client):
    other_desk = make_user("desk2", Role.ASSISTANT)
    make_user("manager2", Role.MANAGER)
    client.force_login(assistant)
    for n in range(5):
        ask(client, "manager", f"guess-{n}")
    client.force_login(other_desk)
    assert field_errors(ask(client, "manager", PASSWORD)) == [THROTTLED]
    # Another manager is not held back by the wrong passwords typed for the first.
    assert ask(client, "manager2", PASSWORD).status_code == 302


def test_the_throttle_counts_per_desk_across_approvers(make_user, assistant, manager, client):
    for n in range(5):
        make_user(f"m{n}", Role.MANAGER)
    client.force_login(assistant)
    for n in range(5):
        ask(client, f"m{n}", "guess")
    assert field_errors(ask(client, "manager", PASSWORD)) == [THROTTLED]
    # Another desk still asks the same manager.
    client.force_login(make_user("desk2", Role.ASSISTANT))
    assert ask(client, "manager", PASSWORD).status_code == 302


def test_a_minute_is_said_as_one(assistant, manager, client):
    client.force_login(assistant)
    for n in range(5):
        ask(client, "manager", f"guess-{n}")
    earlier(minutes=14, seconds=30)
    assert field_errors(ask(client, "manager", PASSWORD)) == [
        THROTTLED.replace("15 minutes", "1 minute")
    ]


def test_one_approval_makes_one_receipt(assistant, manager, client):
    client.force_login(assistant)
    key = "0b5b8f0e-2f0c-4a36-9a0b-4d2a3f1e9c11"
    ask(client, "manager", PASSWORD, request_key=key)
    # The same form sent again: the receipt of the first sending, its approval unchanged;
    # the second try is recorded and leads to no receipt.
    ask(client, "manager", PASSWORD, request_key=key)
    receipt = Receipt.objects.get()
    assert [(outcome, pk) for *_rest, outcome, pk in tries()] == [
        ("granted", receipt.pk),
        ("granted", None),
    ]


def test_the_record_of_tries_is_for_the_manager_finance_and_the_auditor(
    assistant, manager, finance, auditor, department, client
):
    client.force_login(assistant)
    ask(client, "manager", "guess")
    ask(client, "manager", PASSWORD)
    url = reverse("fees:discount_approval_list")
    for user in (assistant, department):
        client.force_login(user)
        assert client.get(url).status_code == 403
    for user in (manager, finance, auditor):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        rows = [
            (row.get_cell("approver_username"), row.get_cell_value("outcome"))
            for row in response.context["table"].page.object_list
        ]
        assert rows == [("manager", "Approved"), ("manager", "Wrong user name or password")]


@pytest.mark.django_db(transaction=True)
def test_tries_sent_at_once_are_counted_one_after_the_other(make_user):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.skip("SQLite's shared in-memory test database does not wait for locks.")
    make_user("manager", Role.MANAGER)
    desks = [make_user(f"desk{n}", Role.ASSISTANT) for n in range(4)]
    for n in range(3):
        with pytest.raises(ValidationError):
            discount_approval_ask(by=desks[0], username="manager", password=f"guess-{n}")

    def desk(user):
        with pytest.raises(ValidationError):
            discount_approval_ask(by=user, username="manager", password="guess")

    at_once(desk, desks)
    outcomes = list(DiscountApproval.objects.order_by("pk").values_list("outcome", flat=True))
    # Only two more wrong passwords fit under the limit of five; the others wait and are
    # refused by the throttle.
    assert outcomes == ["wrong_password"] * 5 + ["throttled"] * 2
