"""Registration numbers of the centre's records: per kind and year, gapless, never shared."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from archives.models import CentreRecord, RecordKind, Retention
from archives.services.records import next_number, record_register
from tests.factories.archives import VolumeFactory

pytestmark = pytest.mark.django_db


def register(user, kind=RecordKind.LETTER_IN, day=date(2026, 3, 2), **extra):
    return record_register(by=user, kind=kind, date=day, title="关于外摆的函", **extra)


def test_numbers_run_per_kind_and_year_from_one(assistant):
    made = [
        register(assistant, RecordKind.LETTER_IN, date(2026, 3, 2)),
        register(assistant, RecordKind.LETTER_IN, date(2026, 3, 3)),
        register(assistant, RecordKind.LETTER_OUT, date(2026, 3, 3)),
        register(assistant, RecordKind.NOTICE, date(2026, 3, 4)),
        register(assistant, RecordKind.REPORT, date(2026, 3, 4)),
        register(assistant, RecordKind.LETTER_IN, date(2025, 12, 30)),
        register(assistant, RecordKind.LETTER_IN, date(2026, 3, 5)),
    ]
    assert [r.number for r in made] == [
        "收〔2026〕1号",
        "收〔2026〕2号",
        "发〔2026〕1号",
        "通〔2026〕1号",
        "报〔2026〕1号",
        "收〔2025〕1号",
        "收〔2026〕3号",
    ]
    assert [(r.year, r.sequence) for r in made[:2]] == [(2026, 1), (2026, 2)]


def test_retention_defaults_by_kind_unless_chosen(assistant):
    assert register(assistant, RecordKind.NOTICE).retention == Retention.YEARS_10
    assert register(assistant, RecordKind.LETTER_IN).retention == Retention.YEARS_30
    assert register(assistant, RecordKind.LETTER_OUT).retention == Retention.YEARS_30
    assert register(assistant, RecordKind.REPORT).retention == Retention.PERMANENT
    chosen = register(assistant, RecordKind.NOTICE, retention=Retention.PERMANENT)
    assert chosen.retention == Retention.PERMANENT


def test_a_refused_registration_gives_its_number_back(assistant):
    register(assistant)
    other_year = VolumeFactory(year=2025)
    with pytest.raises(Exception, match="volume of 2026"):
        register(assistant, volume=other_year)
    assert register(assistant).number == "收〔2026〕2号"
    assert list(CentreRecord.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
    ]


def test_a_rolled_back_caller_gives_its_number_back(assistant):
    with pytest.raises(RuntimeError), transaction.atomic():
        register(assistant)
        raise RuntimeError("the desk's browser went away")
    assert register(assistant).number == "收〔2026〕1号"


@pytest.mark.django_db(transaction=True)
def test_next_number_only_inside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number("in-2026")


def test_registration_is_recorded_in_the_history(assistant):
    record = register(assistant)
    entry = record.history.get()
    assert entry.history_type == "+"
    assert entry.history_user == assistant
    assert entry.history_change_reason.startswith("registered")


@pytest.mark.parametrize("role", ["auditor", "finance", "department"])
def test_only_the_desk_and_the_manager_register(request, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        register(user)
    assert not CentreRecord.objects.exists()


def test_the_manager_registers(manager):
    assert register(manager).registered_by == manager


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_desks_registering_at_once_get_two_numbers(make_user):
    """Two registrations at the same moment: each waits for the series' row lock in turn."""
    desks = [make_user(f"desk{n}", "assistant") for n in range(2)]
    start = threading.Barrier(2)
    numbers, errors = [], []

    def desk(user):
        try:
            start.wait()
            numbers.append(register(user).number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(user,)) for user in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == ["收〔2026〕1号", "收〔2026〕2号"]
