"""On the embedded SQLite database, desks writing at the same moment wait for each other
(WAL, IMMEDIATE transactions, busy timeout) instead of failing: separate processes on one
on-disk database file, as separate server workers would be."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import ensure_fee_catalogue

ROOT = Path(__file__).resolve().parents[2]
DESKS = 4
EACH = 6

# Each desk signs in as its own assistant, created by its first write.
ISSUE = f"""
import uuid, decimal, sys
from django.contrib.auth.models import Group, User
from fees.models import FeeType
from fees.services.receipts import LineInput, Payer, receipt_issue
user = User.objects.create_user(sys.argv[1])
user.groups.add(Group.objects.get(name="assistant"))
fee = FeeType.objects.get(code="permit_fee")
for _ in range({EACH}):
    receipt_issue(by=user, payer=Payer(kind="person", name="x"), method="cash",
                  lines=[LineInput(fee_type=fee, unit_price=decimal.Decimal("20"))],
                  request_key=uuid.uuid4())
"""


def run(env, code, *args):
    return subprocess.Popen(
        [sys.executable, "-c", "import django; django.setup()\n" + code, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def copy_of_the_test_database(path: Path) -> None:
    """The test database is migrated and seeded (groups, fee catalogue) already: a copy
    of it spares the desks a migrate run of several seconds."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


# Transactional: the copy is taken outside any transaction (a test transaction holds the
# write lock that the copy would wait for).
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_desks_writing_at_once_wait_instead_of_failing(tmp_path):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("This test is about the embedded SQLite database.")
    ensure_fee_catalogue()  # a transactional test before this one flushed it
    copy_of_the_test_database(tmp_path / "db.sqlite3")
    env = {
        **os.environ,
        "DJANGO_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    desks = [run(env, ISSUE, f"desk{n}") for n in range(DESKS)]
    outcomes = [(desk.wait(), desk.stderr.read()) for desk in desks]
    assert outcomes == [(0, "")] * DESKS
    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        numbers = [n for (n,) in database.execute("SELECT number FROM fees_receipt ORDER BY 1")]
    year = numbers[0][:4]
    assert numbers == [f"{year}-{n:06d}" for n in range(1, DESKS * EACH + 1)]
