"""The state enums of deposits: every allowed move (and so every refused one), as the
services change them, and the labels printed on Chinese documents."""

import pytest

from deposits.enums import ApplicationStatus, DepositStatus, RefundStatus

MOVES = {
    ApplicationStatus: {
        ("submitted", "approved"),
        ("submitted", "rejected"),
        ("approved", "in_progress"),
        ("in_progress", "passed"),
        ("in_progress", "failed"),
        ("failed", "passed"),
        ("failed", "failed"),  # a re-inspection may fail again
        ("passed", "closed"),
    },
    DepositStatus: {
        ("held", "refund_requested"),
        ("held", "forfeited"),
        ("held", "cancelled"),
        ("refund_requested", "approved"),
        ("refund_requested", "held"),
        ("approved", "refunded"),
    },
    RefundStatus: {
        ("requested", "approved"),
        ("requested", "returned"),
        ("approved", "paid"),
    },
}


@pytest.mark.parametrize("states", list(MOVES), ids=lambda states: states.__name__)
def test_every_allowed_and_every_refused_move(states):
    assert states.moves() == MOVES[states]


def test_printed_labels():
    assert [s.printed for s in DepositStatus] == [
        "在押",
        "退款待审批",
        "退款已批准待付款",
        "已退还",
        "已没收",
        "已作废（收据作废或红冲）",
    ]
    assert [s.printed for s in RefundStatus] == ["待审批", "已批准待付款", "已付款", "已退回"]
