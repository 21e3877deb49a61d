"""A new PostgreSQL connection waits out a restart (config.postgresql): the failures that pass
are tried again until DB_CONNECT_WAIT is spent, the others fail at once, and /health/ never
waits. The server is stood in for by the parent backend's connect, so these run anywhere."""

import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as django_postgresql
from psycopg import OperationalError, errors

from config.health import database_reachable
from config.postgresql import base

REFUSED = OperationalError("connection failed: Connection refused")
STARTING = errors.lookup("57P03")("the database system is starting up")
BAD_PASSWORD = errors.lookup("28P01")("password authentication failed")


class Clock:
    """time.monotonic and time.sleep: sleeping moves the clock."""

    def __init__(self):
        self.now, self.slept = 0.0, []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(base.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(base.time, "sleep", clock.sleep)
    return clock


def server(monkeypatch, *answers):
    """The parent backend's connect, failing with the given errors in turn, then connected."""
    tries = []

    def connect(self, conn_params):
        tries.append(conn_params)
        if len(tries) <= len(answers):
            raise answers[len(tries) - 1]
        return "connected"

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "get_new_connection", connect)
    return tries


def wrapper():
    return base.DatabaseWrapper({"NAME": "probe", "OPTIONS": {}}, "probe")


def test_a_restarting_server_is_waited_for(monkeypatch, clock, settings):
    settings.DB_CONNECT_WAIT = 15
    tries = server(monkeypatch, REFUSED, STARTING, REFUSED)
    assert wrapper().get_new_connection({"dbname": "probe"}) == "connected"
    assert len(tries) == 4
    assert clock.slept == [0.25, 0.5, 1.0]


def test_the_wait_is_bounded(monkeypatch, clock, settings):
    settings.DB_CONNECT_WAIT = 5
    tries = server(monkeypatch, *[REFUSED] * 50)
    with pytest.raises(OperationalError, match="Connection refused"):
        wrapper().get_new_connection({})
    # 0.25 + 0.5 + 1 + 2 = 3.75 s slept; one more pause of 2 s would pass the 5 s.
    assert clock.slept == [0.25, 0.5, 1.0, 2.0]
    assert len(tries) == 5


def test_a_refusal_that_will_not_pass_fails_at_once(monkeypatch, clock, settings):
    settings.DB_CONNECT_WAIT = 15
    tries = server(monkeypatch, BAD_PASSWORD)
    with pytest.raises(OperationalError, match="password"):
        wrapper().get_new_connection({})
    assert (len(tries), clock.slept) == (1, [])


def test_no_wait_when_it_is_switched_off(monkeypatch, clock, settings):
    settings.DB_CONNECT_WAIT = 0
    server(monkeypatch, REFUSED)
    with pytest.raises(OperationalError):
        wrapper().get_new_connection({})
    assert clock.slept == []


def test_the_health_check_never_waits(monkeypatch, clock, settings):
    settings.DB_CONNECT_WAIT = 15
    with base.connect_without_waiting():
        tries = server(monkeypatch, REFUSED)
        with pytest.raises(OperationalError):
            wrapper().get_new_connection({})
    assert (len(tries), clock.slept) == (1, [])
    # Outside the block, connections wait again.
    tries = server(monkeypatch, REFUSED)
    assert wrapper().get_new_connection({}) == "connected"
    assert clock.slept == [0.25]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend")
@pytest.mark.django_db
def test_postgres_runs_on_the_waiting_backend():
    assert isinstance(connections["default"], base.DatabaseWrapper)
    assert database_reachable() is True
