"""/health/: four checks as JSON for a monitor, without a login; 503 when one fails; nothing
else told; a fixed, small number of queries; the worker's heartbeat written by the worker."""

import shutil
import signal
import threading
from collections import namedtuple
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.urls import reverse

from config import health
from config.models import WorkerBeat

pytestmark = pytest.mark.django_db

URL = reverse("health")
ALL_OK = {"database": True, "migrations": True, "worker": True, "disk": True}
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MB = 1024 * 1024
DiskUsage = namedtuple("DiskUsage", "total used free")


@pytest.fixture
def migrations_not_yet_known(monkeypatch):
    """As in a process that has not yet found every migration applied."""
    monkeypatch.setattr(health, "_all_migrations_applied", False)


@pytest.fixture
def tasks_on_the_database(settings):
    """The production backend: its queue is run by a worker process, which must be alive."""
    settings.TASKS = DATABASE_TASKS


def answer(client) -> tuple[int, dict]:
    response = client.get(URL)
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


def failing(**checks) -> dict:
    return {"status": "fail", "checks": {**ALL_OK, **checks}}


def test_anonymous_get_all_well_exactly_these_keys(client):
    response = client.get(URL)
    assert response.status_code == 200
    # Nothing else: no version, path, count or time, and the keys in this order.
    assert response.content == (
        b'{"status": "ok", "checks": {"database": true, "migrations": true, '
        b'"worker": true, "disk": true}}'
    )
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_no_database_fails_it_and_the_checks_that_read_it(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", unreachable)
        status, body = answer(client)
    assert (status, body) == (503, failing(database=False, migrations=False, worker=False))


def test_an_unapplied_migration_fails(client, migrations_not_yet_known):
    latest = MigrationRecorder.Migration.objects.filter(app="config").latest("id")
    MigrationRecorder(connection).record_unapplied("config", latest.name)
    assert answer(client) == (503, failing(migrations=False))


def test_migrations_are_asked_once_applied_then_remembered(
    client, migrations_not_yet_known, django_assert_num_queries
):
    # Cold: SELECT 1, then the migration loader (the table's presence, the applied rows).
    with django_assert_num_queries(3):
        assert answer(client) == (200, {"status": "ok", "checks": ALL_OK})
    # Warm: only the database's SELECT 1, however often.
    for _ in range(3):
        with django_assert_num_queries(1):
            assert answer(client) == (200, {"status": "ok", "checks": ALL_OK})


def test_an_unapplied_migration_is_not_remembered_as_applied(client, migrations_not_yet_known):
    latest = MigrationRecorder.Migration.objects.filter(app="config").latest("id")
    MigrationRecorder(connection).record_unapplied("config", latest.name)
    assert answer(client)[0] == 503
    MigrationRecorder(connection).record_applied("config", latest.name)  # migrate ran
    assert answer(client) == (200, {"status": "ok", "checks": ALL_OK})


def test_the_worker_is_needed_only_with_the_database_backend(client, settings):
    assert not WorkerBeat.objects.exists()
    assert answer(client)[0] == 200  # the tests' immediate backend runs tasks in the caller
    settings.TASKS = DATABASE_TASKS
    assert answer(client) == (503, failing(worker=False))


def test_a_stale_heartbeat_fails_the_worker(client, tasks_on_the_database, monkeypatch):
    health.worker_beat("worker-a", now=NOW - timedelta(seconds=91))
    monkeypatch.setattr(health.timezone, "now", lambda: NOW)
    assert answer(client) == (503, failing(worker=False))
    health.worker_beat("worker-b", now=NOW - timedelta(seconds=89))  # another worker is alive
    assert answer(client) == (200, {"status": "ok", "checks": ALL_OK})


def test_the_worker_is_alive_within_90_seconds_of_its_beat(tasks_on_the_database):
    health.worker_beat("worker-a", now=NOW)
    assert health.worker_alive(now=NOW + timedelta(seconds=90))
    assert not health.worker_alive(now=NOW + timedelta(seconds=90, microseconds=1))
    health.worker_beat("worker-a", now=NOW + timedelta(seconds=30))  # the same row, later
    assert WorkerBeat.objects.get().seen_at == NOW + timedelta(seconds=30)


def test_worker_check_costs_one_query(client, tasks_on_the_database, django_assert_num_queries):
    health.worker_beat("worker-a")
    answer(client)  # the migrations are known applied from now on
    with django_assert_num_queries(2):  # SELECT 1, and the heartbeat
        assert answer(client) == (200, {"status": "ok", "checks": ALL_OK})


@pytest.mark.parametrize(("free_mb", "status"), [(499, 503), (500, 200)])
def test_disk_below_the_threshold_fails(client, settings, tmp_path, monkeypatch, free_mb, status):
    settings.MEDIA_ROOT = tmp_path / "uploads" / "not-yet-made"
    asked = []

    def usage(path):
        asked.append(path)
        return DiskUsage(10_000 * MB, 10_000 * MB - free_mb * MB, free_mb * MB)

    monkeypatch.setattr(shutil, "disk_usage", usage)
    expected = {"status": "ok", "checks": ALL_OK} if status == 200 else failing(disk=False)
    assert answer(client) == (status, expected)
    assert asked == [tmp_path]  # no upload folder yet: the file system it will be made on


def test_the_threshold_is_a_setting(client, settings, monkeypatch):
    settings.HEALTH_MIN_FREE_DISK_MB = 2000
    monkeypatch.setattr(shutil, "disk_usage", lambda path: DiskUsage(0, 0, 1999 * MB))
    assert answer(client) == (503, failing(disk=False))


def test_post_is_refused_and_nothing_is_written(client):
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200


def test_plain_http_is_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True  # production's
    client = Client()  # its middleware built with the setting above
    assert client.get(URL).status_code == 200
    assert client.get(reverse("login")).status_code == 301


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_beats_while_it_runs(settings):
    """The real worker command, in this process: once it has run (here, an empty queue in
    batch mode), its heartbeat is recorded under its id."""
    settings.TASKS = DATABASE_TASKS
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--worker-id", "w-1"
        )
    finally:
        for number, handler in handlers.items():  # the worker's own, for Ctrl+C
            signal.signal(number, handler)
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["w-1"]
    assert health.worker_alive()


def test_a_worker_forgets_the_rows_of_workers_stopped_a_day_ago():
    health.worker_beat("old", now=NOW - timedelta(days=1, seconds=1))
    health.worker_beat("recent", now=NOW - timedelta(hours=23))
    assert health.workers_forget_stopped(now=NOW) == 1
    assert set(WorkerBeat.objects.values_list("worker_id", flat=True)) == {"recent"}


# Transactional: the thread writes on a connection of its own, beside the test's.
@pytest.mark.django_db(transaction=True)
def test_the_beats_thread_writes_at_start_and_again(monkeypatch):
    beats = health.WorkerBeats("w-thread")
    # Its waits end at once, then on the stop: no real interval (and none that a faked clock
    # in the new-year run could stretch), just the order of the beats.
    waits = iter([False, True])
    monkeypatch.setattr(beats._stopped, "wait", lambda timeout: next(waits))
    written = []

    def beat(worker_id, now=None):
        written.append((worker_id, threading.current_thread() is beats))
        record(worker_id, now)

    record = health.worker_beat
    monkeypatch.setattr(health, "worker_beat", beat)
    beats.start()
    beats.join(timeout=10)
    assert not beats.is_alive()
    # The first beat in the starting thread, the next from the beats' own.
    assert written == [("w-thread", False), ("w-thread", True)]
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["w-thread"]
