"""Sessions end after SESSION_IDLE_TIMEOUT without a request, and SESSION_COOKIE_AGE after
login whatever the activity (config.sessions). The clock is the test's own: Django's
timezone.now, which the session store and the middleware both read, is moved by hand."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

EXPIRED = "Your session expired after 30 minutes without activity. Please log in again."
LOGIN = reverse("login")
HOME = reverse("home")
RECEIPTS = reverse("fees:receipt_list")


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    # A Monday morning in Shanghai, whatever day the tests run.
    clock = Clock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


@pytest.fixture
def logged_in(client, assistant, clock):
    """The assistant logged in through the login form at the clock's time."""
    response = client.post(LOGIN, {"username": "assistant", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    return client


def page_after(client, clock, path=HOME, **idle):
    clock.advance(**idle)
    return client.get(path)


def session_writes(queries) -> list[str]:
    return [
        q["sql"].split()[0]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_activity_keeps_the_session_past_the_idle_time(logged_in, clock):
    for _ in range(4):  # two hours in all, never more than 29 minutes apart
        assert page_after(logged_in, clock, minutes=29).status_code == 200


def test_an_idle_session_ends_and_the_login_page_says_so(logged_in, clock):
    assert page_after(logged_in, clock, minutes=30).status_code == 200

    response = page_after(logged_in, clock, RECEIPTS, minutes=30, seconds=1)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next={RECEIPTS}")
    login_page = logged_in.get(response["Location"])
    assert [str(m) for m in login_page.context["messages"]] == [EXPIRED]
    assert EXPIRED in login_page.content.decode()
    # Logged out for good: the old session is gone, not merely hidden.
    assert logged_in.get(HOME).status_code == 302
    # The message rides in a cookie (MESSAGE_STORAGE), so no new session row is made either.
    assert Session.objects.filter(expire_date__gt=clock.now).count() == 0


def test_the_idle_time_is_a_setting(logged_in, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 10 * 60
    assert page_after(logged_in, clock, minutes=10).status_code == 200
    response = page_after(logged_in, clock, minutes=10, seconds=1)
    assert response.status_code == 302
    messages = [str(m) for m in logged_in.get(response["Location"]).context["messages"]]
    assert messages == [
        "Your session expired after 10 minutes without activity. Please log in again."
    ]


@pytest.mark.slow
def test_a_session_ends_at_its_absolute_age_however_active(logged_in, clock, settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 60 * 60
    for _ in range(20):  # 9 h 40 min of work, a page every 29 minutes
        assert page_after(logged_in, clock, minutes=29).status_code == 200
    assert page_after(logged_in, clock, minutes=19, seconds=59).status_code == 200

    response = page_after(logged_in, clock, seconds=2)  # 10 h and 1 s after logging in

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next=/")


def test_reading_pages_writes_the_session_at_most_once_a_minute(logged_in, clock):
    clock.advance(seconds=5)
    with CaptureQueriesContext(connection) as first:
        assert logged_in.get(HOME).status_code == 200
    clock.advance(seconds=50)
    with CaptureQueriesContext(connection) as within_the_minute:
        assert logged_in.get(HOME).status_code == 200
    clock.advance(seconds=10)
    with CaptureQueriesContext(connection) as a_minute_on:
        assert logged_in.get(HOME).status_code == 200

    assert session_writes(first) == []  # login wrote the time of the first request
    assert session_writes(within_the_minute) == []
    assert session_writes(a_minute_on) == ["UPDATE"]


def test_htmx_polling_an_idle_session_sends_the_whole_page_to_log_in(logged_in, clock):
    clock.advance(minutes=31)
    response = logged_in.get(
        reverse("fees:export_progress", args=[1]),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/fees/exports/1/"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{LOGIN}?next=%2Ffees%2Fexports%2F1%2F"
    messages = [str(m) for m in logged_in.get(response["HX-Redirect"]).context["messages"]]
    assert messages == [EXPIRED]
