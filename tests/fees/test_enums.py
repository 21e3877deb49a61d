"""Every state enum's moves, badge and printed label, as the services and pages use them."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from config.models import JobStatus
from fees.enums import ChargeStatus, DayState, PermitStatus, ReceiptStatus

MOVES = {
    ReceiptStatus: {
        ("issued", "void_requested"),
        ("void_requested", "void"),
        ("void_requested", "issued"),
    },
    PermitStatus: {
        ("active", "expired"),
        ("active", "returned"),
        ("active", "lost"),
        ("active", "cancelled"),
        ("expired", "returned"),
        ("expired", "lost"),
        ("expired", "cancelled"),
        ("returned", "cancelled"),
        ("lost", "cancelled"),
    },
    DayState: {
        ("open", "submitted"),
        ("submitted", "approved"),
        ("submitted", "open"),
        ("approved", "handed_over"),
    },
    JobStatus: {
        ("queued", "running"),
        ("queued", "failed"),
        ("running", "done"),
        ("running", "failed"),
    },
    ChargeStatus: {
        ("open", "part_paid"),
        ("open", "settled"),
        ("open", "cancelled"),
        ("part_paid", "open"),
        ("part_paid", "settled"),
        ("settled", "open"),
        ("settled", "part_paid"),
    },
}


@pytest.mark.parametrize("states", list(MOVES), ids=lambda states: states.__name__)
def test_every_allowed_and_every_refused_move(states):
    assert states.moves() == MOVES[states]


def test_badges_and_printed_labels():
    assert [(s.badge, s.printed) for s in DayState] == [
        ("primary", "未提交"),
        ("warning", "已提交待审核"),
        ("info", "已审核待交款"),
        ("success", "已交款"),
    ]
    assert [(s.badge, s.printed) for s in ReceiptStatus] == [
        ("success", "正常"),
        ("warning", "待作废"),
        ("secondary", "作废"),
    ]
    assert [s.badge for s in PermitStatus] == ["success", "warning", "secondary", "danger", "dark"]


def test_the_badge_tag_renders_a_stored_value():
    html = Template(
        '{% load states %}{% state_badge value "DayState" css="fw-normal" element_id="s" %}'
    ).render(Context({"value": "submitted"}))
    assert html == '<span class="badge text-bg-warning fw-normal" id="s">Submitted</span>'


@pytest.mark.parametrize(
    "cancelled, settled, outstanding, status",
    [
        (True, "0", "300", ChargeStatus.CANCELLED),
        (False, "0", "300", ChargeStatus.OPEN),
        (False, "100", "200", ChargeStatus.PART_PAID),
        (False, "300", "0", ChargeStatus.SETTLED),
    ],
)
def test_a_charges_status_is_read_from_its_balance(cancelled, settled, outstanding, status):
    charge = SimpleNamespace(
        cancelled=cancelled, settled=Decimal(settled), outstanding=Decimal(outstanding)
    )
    assert ChargeStatus.of(charge) == status
