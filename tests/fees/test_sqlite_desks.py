"""On the embedded SQLite database, desks writing at the same moment wait for each other
(WAL, IMMEDIATE transactions, busy timeout) instead of failing: separate processes on one
on-disk database file, as separate server workers would be."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DESKS = 4
EACH = 6

ISSUE = f"""
import uuid, decimal, sys
from django.contrib.auth.models import User
from fees.models import FeeType
from fees.services.receipts import LineInput, Payer, receipt_issue
user = User.objects.get(username=sys.argv[1])
fee = FeeType.objects.get(code="permit_fee")
for _ in range({EACH}):
    receipt_issue(by=user, payer=Payer(kind="person", name="x"), method="cash",
                  lines=[LineInput(fee_type=fee, unit_price=decimal.Decimal("20"))],
                  request_key=uuid.uuid4())
"""

SETUP = f"""
from django.contrib.auth.models import Group, User
for n in range({DESKS}):
    User.objects.create_user(f"desk{{n}}").groups.add(Group.objects.get(name="assistant"))
"""

NUMBERS = """
from fees.models import Receipt
print(",".join(sorted(Receipt.objects.values_list("number", flat=True))))
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


def test_desks_writing_at_once_wait_instead_of_failing(tmp_path):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("This test is about the embedded SQLite database.")
    env = {
        **os.environ,
        "DJANGO_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    assert run(env, SETUP).wait() == 0
    desks = [run(env, ISSUE, f"desk{n}") for n in range(DESKS)]
    outcomes = [(desk.wait(), desk.stderr.read()) for desk in desks]
    assert outcomes == [(0, "")] * DESKS
    listing = run(env, NUMBERS)
    out, _err = listing.communicate()
    numbers = out.strip().split(",")
    year = numbers[0][:4]
    assert numbers == [f"{year}-{n:06d}" for n in range(1, DESKS * EACH + 1)]
