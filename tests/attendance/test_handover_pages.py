"""The shift handover's pages: drafting, submitting and answering through them, who may
open what (403s), the manager's statistics of acknowledgement, and the list's queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import HandoverState, ItemAnswer, ItemKind, ShiftHandover
from attendance.panels import handovers_to_acknowledge_panel
from attendance.selectors.handovers import handover_statistics, handovers_listed
from attendance.services.handovers import handover_acknowledge_all, handover_item_answer
from config.roles import Role
from tests.factories.attendance_diary import day_shift, desk, diary_clock, handover_of  # noqa: F401
from tests.factories.people import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    out_user, out_staff = desk("desk-out", "李娜")
    in_user, in_staff = desk("desk-in", "王芳")
    return out_user, out_staff, in_user, in_staff


def test_the_outgoing_drafts_and_submits_through_the_pages(client, clock, pair):
    out_user, out_staff, _in_user, in_staff = pair
    client.force_login(out_user)
    response = client.post(
        reverse("attendance:handover_create"),
        {
            "date": "2026-12-02",
            "shift": day_shift().pk,
            "incoming": in_staff.pk,
            "cash_float": "500.00",
            "cabinet_keys": "3",
            "permit_cards": "42",
            "matters": "A-1-05 漏水待回访\n",
        },
    )
    handover = ShiftHandover.objects.get()
    assert response.status_code == 302
    assert (handover.outgoing, handover.incoming, handover.state) == (
        out_staff,
        in_staff,
        HandoverState.DRAFT,
    )
    page = client.get(handover.get_absolute_url())
    assert page.status_code == 200
    assert [line["count"] for line in page.context["lines"]] == ["500.00", "3", "42", ""]
    submitted = client.post(
        reverse("attendance:handover_submit", args=[handover.pk]), {"notes": "钥匙在抽屉"}
    )
    assert submitted.status_code == 302
    handover.refresh_from_db()
    assert (handover.state, handover.notes) == (HandoverState.SUBMITTED, "钥匙在抽屉")


def test_a_bad_count_is_refused_next_to_its_field(client, clock, pair):
    out_user, _out, _in_user, in_staff = pair
    client.force_login(out_user)
    response = client.post(
        reverse("attendance:handover_create"),
        {
            "date": "2026-12-02",
            "shift": day_shift().pk,
            "incoming": in_staff.pk,
            "cash_float": "-5",
            "cabinet_keys": "3",
            "permit_cards": "1e3",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"cash_float", "permit_cards"}
    assert ShiftHandover.objects.count() == 0


def test_the_incoming_answers_line_by_line_on_the_page(client, clock, pair):
    out_user, _out, in_user, in_staff = pair
    handover = handover_of(out_user, in_staff, submit=True)
    cards = handover.items.get(kind=ItemKind.PERMIT_CARDS)
    client.force_login(in_user)
    assert client.get(handover.get_absolute_url()).context["answering"] is True
    answer = reverse("attendance:handover_item_answer", args=[handover.pk, cards.pk])
    response = client.post(answer, {"disputed": "on", "note": "实点 40 张"})
    assert response.status_code == 302
    cards.refresh_from_db()
    assert (cards.answer, cards.answer_note) == (ItemAnswer.DISPUTED, "实点 40 张")
    client.post(reverse("attendance:handover_acknowledge_all", args=[handover.pk]))
    handover.refresh_from_db()
    assert handover.state == HandoverState.DISPUTED


def test_the_outgoing_is_refused_on_the_acknowledging_pages(client, clock, pair):
    out_user, _out, _in_user, in_staff = pair
    handover = handover_of(out_user, in_staff, submit=True)
    client.force_login(out_user)
    assert client.get(handover.get_absolute_url()).context["answering"] is False
    response = client.post(reverse("attendance:handover_acknowledge_all", args=[handover.pk]))
    assert response.status_code == 403
    item = handover.items.first()
    answer = reverse("attendance:handover_item_answer", args=[handover.pk, item.pk])
    assert client.post(answer, {}).status_code == 403
    assert set(handover.items.values_list("answer", flat=True)) == {ItemAnswer.PENDING}


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [
        (Role.ASSISTANT, 200, 200),
        (Role.MANAGER, 200, 403),
        (Role.AUDITOR, 200, 403),
        (Role.FINANCE, 403, 403),
        (Role.DEPARTMENT, 403, 403),
    ],
)
def test_who_reads_and_writes_handovers(client, clock, role, list_status, create_status):
    client.force_login(staff(role))
    assert client.get(reverse("attendance:handover_list")).status_code == list_status
    assert client.get(reverse("attendance:handover_create")).status_code == create_status


def test_the_statistics_of_acknowledgement(clock, pair):
    out_user, _out, in_user, in_staff = pair
    clock.set(2026, 12, 2, 9)
    first = handover_of(out_user, in_staff, submit=True)
    clock.set(2026, 12, 2, 11)  # two hours later
    handover_acknowledge_all(handover=first, by=in_user)
    clock.set(2026, 12, 2, 12)
    second = handover_of(out_user, in_staff, submit=True)
    clock.set(2026, 12, 2, 18)  # six hours later, one line disputed
    handover_item_answer(
        item=second.items.get(kind=ItemKind.CASH_FLOAT), by=in_user, disputed=True, note="少 50 元"
    )
    handover_acknowledge_all(handover=second, by=in_user)
    handover_of(out_user, in_staff, submit=True)  # waiting
    handover_of(out_user, in_staff)  # a draft: not counted
    stats = handover_statistics(handovers_listed())
    assert (stats.submitted, stats.acknowledged, stats.disputed, stats.waiting) == (3, 1, 1, 1)
    assert stats.share_acknowledged == 2 / 3
    assert (stats.median_hours, stats.average_hours) == (4.0, 4.0)


def test_the_list_shows_the_statistics_to_the_manager(client, clock, pair):
    out_user, _out, in_user, in_staff = pair
    handover = handover_of(out_user, in_staff, submit=True)
    clock.set(2026, 12, 2, 12)
    handover_acknowledge_all(handover=handover, by=in_user)
    client.force_login(staff(Role.MANAGER))
    response = client.get(reverse("attendance:handover_list"))
    assert response.context["statistics"].median_hours == 3.0
    assert b'id="share">100%' in response.content


def test_the_incoming_sees_the_handover_on_the_home_page(clock, pair):
    out_user, _out, in_user, in_staff = pair
    handover = handover_of(out_user, in_staff, submit=True)
    panel = handovers_to_acknowledge_panel(in_user, date(2026, 12, 2))
    assert (panel.count, panel.items) == (
        1,
        [("2026-12-02 早班 · 李娜", handover.get_absolute_url(), "12-02 09:00")],
    )
    handover_acknowledge_all(handover=handover, by=in_user)
    assert handovers_to_acknowledge_panel(in_user, date(2026, 12, 2)).count == 0
    assert handovers_to_acknowledge_panel(out_user, date(2026, 12, 2)).count == 0


def test_the_list_takes_as_many_queries_for_one_row_as_for_many(client, clock, pair):
    out_user, _out, _in_user, in_staff = pair
    client.force_login(staff(Role.MANAGER))
    handover_of(out_user, in_staff, submit=True)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("attendance:handover_list")).status_code == 200
    for _n in range(10):
        handover_of(out_user, in_staff, submit=True)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("attendance:handover_list"))
    assert len(response.context["table"].page.object_list) == 11
    assert len(many) == len(one)


def test_counts_are_stored_exactly(clock, pair):
    out_user, _out, _in_user, in_staff = pair
    handover = handover_of(out_user, in_staff)
    assert handover.items.get(kind=ItemKind.CASH_FLOAT).quantity == Decimal("500.00")
