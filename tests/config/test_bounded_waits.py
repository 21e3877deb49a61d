"""Waiting is bounded and a committed receipt is never reported as failed: the database's
time-outs, the "desk is busy" answer to a lock that did not come free, and the answer to a
receipt whose database dropped right after its commit."""

import time

import psycopg
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import OperationalError, connection
from django.urls import reverse

from config.sessions import LAST_SEEN
from fees.models import NumberSequence, Receipt
from fees.services import receipts as receipt_services
from tests.conftest import ensure_fee_catalogue
from tests.factories.finance import receipt_post

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's time-outs")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's settings")

BUSY = "The desk is busy"


def issue(client):
    return client.post(reverse("fees:receipt_create"), receipt_post())


# --- the time-outs each connection runs with -------------------------------------------


@on_postgres
@pytest.mark.django_db
def test_postgres_connections_wait_a_bounded_time():
    with connection.cursor() as cursor:
        shown = {}
        for name in ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout"):
            cursor.execute(f"SHOW {name}")
            shown[name] = cursor.fetchone()[0]
    assert shown == {
        "lock_timeout": "5s",
        "statement_timeout": "30s",
        "idle_in_transaction_session_timeout": "1min",
    }
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@on_sqlite
@pytest.mark.django_db
def test_sqlite_waits_its_busy_timeout_and_syncs_every_commit():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        busy = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    assert (busy, synchronous) == (20000, 2)  # 2 is FULL


# --- a desk that meets a lock ----------------------------------------------------------


@pytest.mark.django_db
def test_a_lock_that_does_not_come_free_answers_the_desk_is_busy(assistant, client, monkeypatch):
    def locked(**kwargs):
        raise OperationalError("database is locked")  # SQLite's busy timeout ran out

    monkeypatch.setattr(receipt_services, "receipt_issue", locked)
    client.force_login(assistant)
    response = issue(client)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert f'<h1 class="h4">{BUSY}</h1>' in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert Receipt.objects.count() == 0


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_numbering_row_held_elsewhere_gives_up_within_the_lock_timeout(assistant, client):
    ensure_fee_catalogue()  # a transactional test before this one flushed it
    client.force_login(assistant)
    assert issue(client).status_code == 302  # the year's numbering row now exists
    before = list(NumberSequence.objects.values_list("key", "last_value"))
    # Another connection holds every numbering row, as a stuck request would.
    holder = psycopg.connect(**connection.get_connection_params())
    try:
        holder.execute("SELECT * FROM fees_numbersequence FOR UPDATE")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")  # the setting's 5 s, shortened here
        started = time.monotonic()
        response = issue(client)
        waited = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert f'<h1 class="h4">{BUSY}</h1>' in response.content.decode()
    assert 1 <= waited  # it did wait for the lock, and then gave up
    assert Receipt.objects.count() == 1
    assert list(NumberSequence.objects.values_list("key", "last_value")) == before
    assert issue(client).status_code == 302  # with the lock gone the desk goes on
    assert Receipt.objects.count() == 2


# --- the database drops right after the commit -----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_receipt_committed_before_the_database_dropped_is_reported_issued(
    assistant, client, monkeypatch
):
    ensure_fee_catalogue()  # a transactional test before this one flushed it
    client.force_login(assistant)
    # The idle clock is due to be written down: the session must be saved after the view.
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 120
    session.save()

    def unreachable(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    issue_then_drop = receipt_services.receipt_issue

    def issue_and_lose_the_database(**kwargs):
        issued = issue_then_drop(**kwargs)  # committed
        connection.execute_wrappers.append(unreachable)
        return issued

    monkeypatch.setattr(receipt_services, "receipt_issue", issue_and_lose_the_database)
    try:
        response = issue(client)
    finally:
        if unreachable in connection.execute_wrappers:
            connection.execute_wrappers.remove(unreachable)
    receipt = Receipt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == receipt.get_absolute_url()
    page = client.get(response["Location"])
    assert [str(m) for m in get_messages(page.wsgi_request)] == [
        f"Receipt {receipt.number} issued."
    ]
    assert settings.MESSAGE_STORAGE.endswith("CookieStorage")
