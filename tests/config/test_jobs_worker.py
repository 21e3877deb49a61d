"""The real task worker (`manage.py db_worker`, django-tasks-db) in processes of its own,
on a database of its own: the job of a worker killed mid-way ends failed, with the reason,
once a worker starts again, and that worker builds the next job.

The suite's SQLite test database lives in the memory of the test's process, which other
processes cannot open; so every step here is a process of its own, as the desk and the
worker are in production, on a copy of the migrated test database in a file.
"""

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from config.models import JobStatus
from tests.conftest import ensure_fee_catalogue

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import json, sys, threading, time
import django
django.setup()
from config.exporters import Exporter, register

class Block(Exporter):
    name = "block"
    permission = "fees.download_statement"

    def filename(self, params):
        return "block.bin"

    def render(self, params, out, progress):
        progress(1, "Blocking")
        threading.Event().wait()  # until the worker is killed

# An exporter for this test only: known to the process that asks and to the first worker.
register(Block())
"""

# The desk asks for a job (as the audit packs' page does, in English).
START = """
from django.contrib.auth.models import Group, User
from django.utils import translation
from config.jobs import job_start
translation.activate("en")
user, _created = User.objects.get_or_create(username="finance")
user.groups.add(Group.objects.get(name="finance"))
print(job_start(by=user, kind=sys.argv[1], params=json.loads(sys.argv[2])).pk)
"""

WORKER = """
from django.core.management import call_command
call_command("db_worker", *sys.argv[1:])
"""

# The job's row once it reaches the status asked for (or as it is after two minutes).
WAIT = """
from config.models import ExportJob
job_id, status = int(sys.argv[1]), sys.argv[2]
deadline = time.monotonic() + 120
job = ExportJob.objects.get(pk=job_id)
while job.status != status and time.monotonic() < deadline:
    time.sleep(0.2)
    job = ExportJob.objects.get(pk=job_id)
print(json.dumps({
    "status": job.status, "progress": job.progress, "message": job.message,
    "worker_id": job.worker_id, "file": job.file.name, "sha256": job.sha256,
    "heartbeat_at": job.heartbeat_at.isoformat() if job.heartbeat_at else None,
}))
"""

# As if the worker had died longer ago than the limit, without waiting that long.
AGE = """
from datetime import timedelta
from django.db.models import F
from config.jobs import STALE_AFTER
from config.models import ExportJob
ExportJob.objects.filter(pk=int(sys.argv[1])).update(
    heartbeat_at=F("heartbeat_at") - STALE_AFTER - timedelta(seconds=1)
)
"""

WORKER_OPTIONS = ["--no-reload", "--no-startup-delay", "--interval", "0.2"]


@pytest.fixture
def env(tmp_path, transactional_db):
    """The environment of the test's processes: a migrated database of their own (a file
    copy of the SQLite test database, or a scratch PostgreSQL database when the suite runs
    on PostgreSQL)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_VAR_DIR": str(tmp_path),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    url = os.environ.get("DATABASE_URL", "")
    scratch = None
    if url and not url.startswith("sqlite"):
        scratch = f"jobs_worker_{os.getpid()}"
        env["DATABASE_URL"] = urlsplit(url)._replace(path=f"/{scratch}").geturl()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
            admin.execute(f'CREATE DATABASE "{scratch}"')
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
    else:
        env.pop("DATABASE_URL", None)
        # Where config.settings puts SQLite under DJANGO_VAR_DIR; a copy costs less than a
        # migrate in another process. Out of any transaction (a transactional test), which
        # the copy would wait for; as migrated, with the catalogue an earlier flush removed.
        ensure_fee_catalogue()
        connection.ensure_connection()
        with closing(sqlite3.connect(tmp_path / "db.sqlite3")) as copy:
            connection.connection.backup(copy)
    yield env
    if scratch:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{scratch}" WITH (FORCE)')


def python(env, code: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SETUP + code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def start(env, kind: str, params: dict) -> int:
    return int(python(env, START, kind, json.dumps(params)))


def wait(env, job_id: int, status: str) -> dict:
    return json.loads(python(env, WAIT, str(job_id), status))


def stopped(heartbeat_at: str) -> str:
    beat = timezone.localtime(datetime.fromisoformat(heartbeat_at))
    return (
        f"The worker stopped while building the file (last sign of life at "
        f"{beat:%Y-%m-%d %H:%M:%S}). Ask for it again."
    )


def test_a_killed_workers_job_ends_failed_and_the_next_worker_builds_the_next(env, tmp_path):
    # The first worker takes the blocking job and is killed in the middle of it.
    with open(tmp_path / "worker-a.log", "w") as log:
        first = subprocess.Popen(
            [sys.executable, "-c", SETUP + WORKER, *WORKER_OPTIONS, "--worker-id", "worker-a"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        blocked = start(env, "block", {})
        running = wait(env, blocked, JobStatus.RUNNING)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert (running["status"], running["progress"], running["message"], running["worker_id"]) == (
        JobStatus.RUNNING,
        1,
        "Blocking",
        "worker-a",
    )
    assert first.returncode == -signal.SIGKILL
    python(env, AGE, str(blocked))

    # The real command, started again: it marks the dead worker's job failed, then builds
    # the next job.
    with open(tmp_path / "worker-b.log", "w") as log:
        second = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", *WORKER_OPTIONS, "--worker-id", "worker-b"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        failed = wait(env, blocked, JobStatus.FAILED)
        today = timezone.localdate().isoformat()
        pack = start(env, "audit_pack", {"date_from": today, "date_to": today})
        done = wait(env, pack, JobStatus.DONE)
    finally:
        second.send_signal(signal.SIGTERM)  # the graceful stop of systemd or Ctrl+C
        second.wait(timeout=60)
    assert (failed["status"], failed["progress"], failed["message"]) == (
        JobStatus.FAILED,
        1,
        stopped(failed["heartbeat_at"]),
    )
    assert (done["status"], done["progress"], done["worker_id"]) == (
        JobStatus.DONE,
        100,
        "worker-b",
    )
    assert done["file"] == f"exports/audit-pack_{today}_{today}.zip"
    content = (tmp_path / "media" / done["file"]).read_bytes()
    assert hashlib.sha256(content).hexdigest() == done["sha256"]
    assert second.returncode == 0
