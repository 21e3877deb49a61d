"""The daily close's data migrations, run on a database made with the old schema: the closes
are written with the historical models of the migration before, then the database is
migrated forward and read with today's models.

Each test migrates the fees schema back and forth, so they are marked `migrations` and can
be run alone: ``pytest -m migrations``.
"""

import importlib
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import translation

from fees.history import close_history
from fees.models import DailyClose, DailyCloseMethod, DayCount

pytestmark = pytest.mark.migrations
# Migrations commit their own transactions: the tests that run them use a real database.
ON_DATABASE = pytest.mark.django_db(transaction=True)
D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")
BEFORE_COUNTS = ("fees", "0005_month_lock_and_export_jobs")
BEFORE_ROWS = ("fees", "0008_field_verbose_names")
WITH_ROWS = ("fees", "0009_daily_close_methods")
CARRY_OVER = importlib.import_module("fees.migrations.0009_daily_close_methods")


def migrate(*targets):
    """Migrate to the targets (the latest schema without any) and give that state's models."""
    executor = MigrationExecutor(connection)
    targets = list(targets) or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_schema():
    """Go back to a former fees schema; the latest one again afterwards, whatever happened."""
    yield migrate
    migrate()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def make_users(apps):
    User = apps.get_model("auth", "User")
    return User.objects.create(username="desk"), User.objects.create(username="desk2")


def count(apps, close, sequence, by, cash, amounts, when, opening_float="0.00"):
    """A count as the desk recorded it: its notes and coins and its amount per method."""
    made = apps.get_model("fees", "DayCount").objects.create(
        day=close,
        sequence=sequence,
        counted_by=by,
        counted_at=when,
        opening_float=D(opening_float),
        float_left=D(opening_float),
    )
    apps.get_model("fees", "DayCountCash").objects.bulk_create(
        apps.get_model("fees", "DayCountCash")(count=made, denomination=D(d), pieces=n)
        for d, n in cash.items()
    )
    apps.get_model("fees", "DayCountAmount").objects.bulk_create(
        apps.get_model("fees", "DayCountAmount")(count=made, method=m, amount=D(a))
        for m, a in amounts.items()
    )


def record(apps, close, when, kind, reason, by, **figures):
    """One record of the close's history, as django-simple-history wrote it."""
    apps.get_model("fees", "HistoricalDailyClose").objects.create(
        id=close.pk,
        business_date=close.business_date,
        state=figures.pop("state", "open"),
        counted_at=when if figures.get("counted") else None,
        history_date=when,
        history_type=kind,
        history_change_reason=reason,
        history_user=by,
        **{"cash_count": {}, "counted": {}, "expected": {}, "explanations": {}, **figures},
    )


# Takings by method as the services wrote them: strings with two places.
BLIND = {"cash": "201.00", "card": "0.00", "wechat": "80.00", "alipay": "0.00", "transfer": "0.00"}
FINAL = {**BLIND, "cash": "201.50"}
EXPECTED = {**FINAL, "cash": "201.30", "wechat": "80.20", "transfer": "-60.00"}
EXPLAINED = {"cash": "找零多给", "wechat": "微信手续费", "transfer": "红冲退款未到账"}


def old_closes(apps, users=None):
    """Four closes of March 2026, in the shapes the JSON fields took."""
    DailyClose = apps.get_model("fees", "DailyClose")
    desk, desk2 = users or make_users(apps)
    d1, d2, d3, d4 = (date(2026, 3, n) for n in (2, 3, 4, 5))
    # Counted, recounted, submitted with three explanations, approved.
    first = DailyClose.objects.create(
        business_date=d1,
        state="approved",
        cash_count={"100": 2, "0.5": 3},
        counted=FINAL,
        counted_at=at(d1, 18, 40),
        counted_by=desk2,
        expected=EXPECTED,
        explanations=EXPLAINED,
        submitted_by=desk2,
        submitted_at=at(d1, 18, 50),
    )
    count(apps, first, 1, desk, {"100": 2, "1": 1}, {**BLIND, "cash": "201.00"}, at(d1, 18, 30))
    count(apps, first, 2, desk2, {"100": 2, "0.5": 3}, FINAL, at(d1, 18, 40))
    record(apps, first, at(d1, 9), "+", None, desk)
    record(apps, first, at(d1, 18, 30), "~", "counted", desk, counted=BLIND, cash_count={"100": 2})
    record(apps, first, at(d1, 18, 40), "~", "recounted", desk2, counted=FINAL)
    submitted = {"counted": FINAL, "expected": EXPECTED, "explanations": EXPLAINED}
    record(apps, first, at(d1, 18, 50), "~", "submitted", desk2, state="submitted", **submitted)
    # Returned by the manager: expected cleared, the explanation kept; methods missing.
    second = DailyClose.objects.create(
        business_date=d2,
        cash_count={"10": 1, "1": 2, "0.1": 3},
        counted={"cash": "12.30", "wechat": "5"},
        counted_at=at(d2, 18),
        counted_by=desk,
        explanations={"cash": "少一枚硬币"},
        return_comment="微信对账单再核对",
    )
    count(apps, second, 1, desk, {"10": 1, "1": 2, "0.1": 3}, {"cash": "12.30"}, at(d2, 18))
    # Amounts written as JSON numbers, a method expected but not counted and the other way.
    third = DailyClose.objects.create(
        business_date=d3,
        state="submitted",
        cash_count={"100": 13, "50": 1, "0.5": 1, "20": 0},
        counted={"cash": 1350.5, "card": 0, "transfer": "99999999.99"},
        counted_at=at(d3, 18),
        counted_by=desk,
        expected={"cash": "1350.50", "alipay": 20, "transfer": "99999999.99"},
        explanations={"alipay": "对账单未到"},
    )
    count(apps, third, 1, desk, {"100": 13, "50": 1, "0.5": 1}, {"cash": "1350.50"}, at(d3, 18))
    # Opened by a receipt, never counted: every dictionary empty.
    DailyClose.objects.create(business_date=d4)
    return d1, d2, d3, d4


def figures(business_date: date) -> dict:
    return {
        row.method: (row.expected, row.counted, row.difference, row.explanation)
        for row in DailyCloseMethod.objects.filter(close__business_date=business_date)
    }


def assert_figures_carried(d1, d2, d3, d4):
    assert figures(d1) == {
        "cash": (D("201.30"), D("201.50"), D("0.20"), "找零多给"),
        "card": (D("0.00"), D("0.00"), D("0.00"), ""),
        "wechat": (D("80.20"), D("80.00"), D("-0.20"), "微信手续费"),
        "alipay": (D("0.00"), D("0.00"), D("0.00"), ""),
        "transfer": (D("-60.00"), D("0.00"), D("60.00"), "红冲退款未到账"),
    }
    assert figures(d2) == {
        "cash": (None, D("12.30"), None, "少一枚硬币"),
        "wechat": (None, D("5.00"), None, ""),
    }
    assert figures(d3) == {
        "cash": (D("1350.50"), D("1350.50"), D("0.00"), ""),
        "card": (None, D("0.00"), None, ""),
        "alipay": (D("20.00"), None, None, "对账单未到"),
        "transfer": (D("99999999.99"), D("99999999.99"), D("0.00"), ""),
    }
    assert figures(d4) == {}

    # What the pages, the statement and the audit pack read, as they read the JSON before.
    first, second, third, fourth = DailyClose.objects.filter(business_date__gte=d1).order_by(
        "business_date"
    )
    assert list(first.counted_by_method.items()) == [(m, D(a)) for m, a in FINAL.items()]
    assert list(first.expected_by_method.items()) == [(m, D(a)) for m, a in EXPECTED.items()]
    assert list(first.explanations_by_method.items()) == list(EXPLAINED.items())
    assert (second.counted_by_method, second.expected_by_method) == (
        {"cash": D("12.30"), "wechat": D("5.00")},
        {},
    )
    assert third.expected_by_method == {
        "cash": D("1350.50"),
        "alipay": D("20.00"),
        "transfer": D("99999999.99"),
    }
    assert (fourth.counted_by_method, fourth.explanations_by_method) == ({}, {})
    # The cash by denomination is the final count's, which the check found equal.
    final = DayCount.objects.get(day=first, sequence=2)
    assert [(row.denomination, row.pieces) for row in final.cash.all()] == [
        (D("100.00"), 2),
        (D("0.50"), 3),
    ]


def assert_past_carried(d1):
    past = [
        (
            r.method,
            r.history_type,
            r.history_date,
            r.history_user.username,
            r.history_change_reason,
            r.counted,
            r.expected,
            r.explanation,
        )
        for r in DailyCloseMethod.history.filter(close__business_date=d1).order_by(
            "history_date", "history_id"
        )
    ]
    zero = D("0.00")
    counted, recounted, submitted = at(d1, 18, 30), at(d1, 18, 40), at(d1, 18, 50)
    assert past == [
        ("cash", "+", counted, "desk", "counted", D("201.00"), None, ""),
        ("card", "+", counted, "desk", "counted", zero, None, ""),
        ("wechat", "+", counted, "desk", "counted", D("80.00"), None, ""),
        ("alipay", "+", counted, "desk", "counted", zero, None, ""),
        ("transfer", "+", counted, "desk", "counted", zero, None, ""),
        ("cash", "~", recounted, "desk2", "recounted", D("201.50"), None, ""),
        ("cash", "~", submitted, "desk2", "submitted", D("201.50"), D("201.30"), "找零多给"),
        ("card", "~", submitted, "desk2", "submitted", zero, zero, ""),
        ("wechat", "~", submitted, "desk2", "submitted", D("80.00"), D("80.20"), "微信手续费"),
        ("alipay", "~", submitted, "desk2", "submitted", zero, zero, ""),
        ("transfer", "~", submitted, "desk2", "submitted", zero, D("-60.00"), "红冲退款未到账"),
    ]
    # The day's page shows them in the close's own entries.
    with translation.override("en"):
        entries = close_history(DailyClose.objects.get(business_date=d1))
    assert [entry.reason for entry in entries] == ["submitted", "recounted", "counted", ""]
    assert entries[1].changes[-1] == ("counted (Cash)", "¥201.00", "¥201.50")
    assert entries[0].changes[-3:] == [
        ("expected (Alipay)", "—", "¥0.00"),
        ("expected (Bank transfer)", "—", "-¥60.00"),
        ("explanation (Bank transfer)", "—", "红冲退款未到账"),
    ]


@ON_DATABASE
def test_a_close_that_cannot_be_carried_exactly_stops_the_migration(old_schema):
    apps = old_schema(BEFORE_ROWS)
    old_closes(apps)
    closes = apps.get_model("fees", "DailyClose").objects.filter(business_date=date(2026, 3, 2))
    kept = closes.values("cash_count", "counted", "expected").get()
    closes.update(cash_count={"100": 3})
    with pytest.raises(ValueError, match=r"2026-03-02: its cash by denomination .* final count's"):
        migrate()
    assert WITH_ROWS not in MigrationRecorder(connection).applied_migrations()
    assert closes.values("cash_count").get() == {"cash_count": {"100": 3}}
    closes.update(**kept)  # corrected, it goes through
    migrate()
    assert DailyCloseMethod.objects.count() == 5 + 2 + 4


@pytest.mark.parametrize(
    "value, refusal",
    [
        ("201.305", "2026-03-02, expected cash: '201.305' is not an amount in whole cents"),
        ("abc", "2026-03-02, expected cash: 'abc' is not an amount"),
        (True, "2026-03-02, expected cash: True is not an amount"),
        ("1e12", "2026-03-02, expected cash: '1e12' is not an amount in whole cents"),
    ],
)
def test_an_amount_that_is_not_whole_cents_is_refused_by_name(value, refusal):
    """The migration's own reading of a JSON amount (the stop above runs the same code)."""
    with pytest.raises(ValueError) as refused:
        CARRY_OVER._amount(value, "2026-03-02, expected cash")
    assert str(refused.value) == refusal


def test_json_amounts_of_every_form_become_the_decimals_they_stand_for():
    assert [CARRY_OVER._amount(v, "x") for v in ("12.30", " 5 ", 1350.5, 0, "-60.00")] == [
        D("12.30"),
        D("5.00"),
        D("1350.50"),
        D("0.00"),
        D("-60.00"),
    ]


@ON_DATABASE
def test_the_migration_can_be_undone(old_schema):
    d1, d2, d3, d4 = old_closes(old_schema(BEFORE_ROWS))
    migrate()
    apps = migrate(BEFORE_ROWS)
    closes = {
        close.business_date: (close.cash_count, close.counted, close.expected, close.explanations)
        for close in apps.get_model("fees", "DailyClose").objects.all()
    }
    assert closes == {
        d1: ({"100": 2, "0.5": 3}, FINAL, EXPECTED, EXPLAINED),
        d2: (
            {"10": 1, "1": 2, "0.1": 3},
            {"cash": "12.30", "wechat": "5.00"},
            {},
            {"cash": "少一枚硬币"},
        ),
        d3: (
            {"100": 13, "50": 1, "0.5": 1},
            {"cash": "1350.50", "card": "0.00", "transfer": "99999999.99"},
            {"cash": "1350.50", "alipay": "20.00", "transfer": "99999999.99"},
            {"alipay": "对账单未到"},
        ),
        d4: ({}, {}, {}, {}),
    }
    history = apps.get_model("fees", "HistoricalDailyClose").objects.filter(business_date=d1)
    assert [(h.history_change_reason, h.counted) for h in history.order_by("history_date")] == [
        (None, {}),
        ("counted", BLIND),
        ("recounted", FINAL),
        ("submitted", FINAL),
    ]


COUNTED_BEFORE_COUNTS = date(2026, 2, 2)


def closes_before_counts(apps, desk):
    """Two closes of the schema before counts were kept (0005): one counted, one not."""
    apps.get_model("fees", "DailyClose").objects.create(
        business_date=COUNTED_BEFORE_COUNTS,
        state="submitted",
        cash_count={"100": 2, "0.5": 3, "20": 0},
        counted={"cash": "201.50", "card": "0.00", "wechat": "80.00"},
        counted_at=at(COUNTED_BEFORE_COUNTS, 18, 30),
        counted_by=desk,
    )
    apps.get_model("fees", "DailyClose").objects.create(business_date=date(2026, 2, 3))


def assert_one_blind_count_made():
    """0006: each day counted before counts were kept became one blind count."""
    blind = DayCount.objects.get(day__business_date=COUNTED_BEFORE_COUNTS)
    assert (blind.sequence, blind.counted_by.username, blind.counted_at) == (
        1,
        "desk",
        at(COUNTED_BEFORE_COUNTS, 18, 30),
    )
    assert (blind.opening_float, blind.float_left) == (D("0.00"), D("0.00"))
    assert {row.denomination: row.pieces for row in blind.cash.all()} == {
        D("100"): 2,
        D("0.5"): 3,
    }
    assert {row.method: row.amount for row in blind.amounts.all()} == {
        "cash": D("201.50"),
        "card": D("0.00"),
        "wechat": D("80.00"),
    }
    assert not DayCount.objects.filter(day__business_date=date(2026, 2, 3)).exists()
    assert figures(COUNTED_BEFORE_COUNTS) == {
        "cash": (None, D("201.50"), None, ""),
        "card": (None, D("0.00"), None, ""),
        "wechat": (None, D("80.00"), None, ""),
    }


@ON_DATABASE
def test_closes_of_every_old_schema_are_carried_into_rows_exactly(old_schema):
    """One trip forward from before counts were kept (0005): closes made then, and closes
    made with the JSON figures (0008), arrive as count rows and figure rows, with their past.
    One trip saves the several seconds each migration back and forth costs."""
    apps = old_schema(BEFORE_COUNTS)
    users = make_users(apps)
    closes_before_counts(apps, users[0])
    apps = migrate(BEFORE_ROWS)
    users = [apps.get_model("auth", "User").objects.get(pk=user.pk) for user in users]
    d1, d2, d3, d4 = old_closes(apps, users)
    migrate()

    assert_one_blind_count_made()
    assert_figures_carried(d1, d2, d3, d4)
    assert_past_carried(d1)
