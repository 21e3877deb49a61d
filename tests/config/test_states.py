"""config.states: the one way a state changes (lock, allowed move, who and when, history)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from config.states import StateChoices, locked, require_state, save_change, stamp, transition
from fees.enums import DayState
from fees.models import DailyClose

pytestmark = pytest.mark.django_db


def test_describe_wants_every_value_and_only_known_moves():
    class Light(StateChoices):
        ON = "on", "On"
        OFF = "off", "Off"

    with pytest.raises(ValueError) as caught:
        Light.describe({"on": ("success", "开", {"off"})})
    assert str(caught.value) == "Light: describe every value once"
    with pytest.raises(ValueError):
        Light.describe({"on": ("success", "开", {"dim"}), "off": ("secondary", "关", set())})


def test_a_move_the_enum_allows_is_made_in_memory_only():
    day = DailyClose.objects.create(business_date="2026-03-02")
    transition(day, "state", DayState.SUBMITTED, refusal="no")
    assert (day.state, DailyClose.objects.get(pk=day.pk).state) == ("submitted", "open")


def test_a_move_the_enum_does_not_allow_is_refused_with_the_services_message():
    day = DailyClose(business_date="2026-03-02", state=DayState.HANDED_OVER)
    with pytest.raises(ValidationError) as caught:
        transition(day, "state", DayState.OPEN, refusal="Only a submitted day can be returned.")
    assert caught.value.messages == ["Only a submitted day can be returned."]
    assert day.state == DayState.HANDED_OVER


def test_without_its_own_message_a_refusal_names_both_states():
    day = DailyClose(business_date="2026-03-02", state=DayState.OPEN)
    with pytest.raises(ValidationError) as caught:
        transition(day, "state", DayState.APPROVED)
    assert caught.value.messages == ["This record is open: it cannot become approved."]


def test_require_state_refuses_any_other_state():
    day = DailyClose(business_date="2026-03-02", state=DayState.SUBMITTED)
    require_state(day, "state", {DayState.SUBMITTED, DayState.APPROVED}, refusal="no")
    with pytest.raises(ValidationError) as caught:
        require_state(day, "state", {DayState.OPEN}, refusal="Only an open day can be counted.")
    assert caught.value.messages == ["Only an open day can be counted."]


def test_locked_reads_the_row_again(manager):
    day = DailyClose.objects.create(business_date="2026-03-02")
    DailyClose.objects.filter(pk=day.pk).update(state=DayState.SUBMITTED)
    with transaction.atomic():
        assert locked(day).state == DayState.SUBMITTED
        assert locked(day, business_date=day.business_date).pk == day.pk


def test_locked_says_what_is_missing_when_asked():
    with transaction.atomic():
        with pytest.raises(ValidationError) as caught:
            locked(DailyClose(business_date="2026-03-03"), business_date="2026-03-03", missing="x")
        assert caught.value.messages == ["x"]
        with pytest.raises(DailyClose.DoesNotExist):
            locked(DailyClose(business_date="2026-03-03"), business_date="2026-03-03")


def test_stamp_and_save_change_record_who_when_and_why(manager):
    day = DailyClose.objects.create(business_date="2026-03-02", state=DayState.SUBMITTED)
    stamp(day, "approved", manager)
    transition(day, "state", DayState.APPROVED)
    assert save_change(day, "approved") is day
    day.refresh_from_db()
    assert (day.state, day.approved_by, day.approved_at is not None) == (
        "approved",
        manager,
        True,
    )
    assert day.history.first().history_change_reason == "approved"
