"""The probes of permanent records (config.permanence), shared by every app's tests: each
app's test module lists its permanent models with the factory that makes a row of each
(``PERMANENT``), takes the ``row`` and ``historical_row`` fixtures of ``row_fixtures`` and
subclasses ``PermanenceProbes``. Every path that would delete a row, or rewrite what is
fixed once written, is tried on one row of each model and of its history, on SQLite and
PostgreSQL, and must be refused with the row the same afterwards:

- Model.delete(), QuerySet.delete(), the base manager's and the history manager's delete,
  a historical row's delete();
- QuerySet.update(), save() of an edited row, bulk_update() and a raw SQL UPDATE of each
  fixed column (every column of a history row);
- a raw SQL DELETE (a row, the whole table, the collector's fast path); on PostgreSQL
  TRUNCATE and TRUNCATE ... CASCADE;
- the migration that installs the triggers, reversed and applied again.
"""

import uuid
from collections.abc import Callable
from datetime import date, time, timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from config.permanence import (
    ALL,
    Permanence,
    RecordIsPermanent,
    history_model,
    permanent_models,
    trigger_names,
)

ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's TRUNCATE (SQLite has none)"
)
DELETE_REFUSED = "is a permanent record: its rows cannot be deleted"
UPDATE_REFUSED = "is a permanent record: this change of a fixed field is refused"


def row_fixtures(permanent: dict) -> tuple:
    """The ``row`` and ``historical_row`` fixtures of a module whose permanent models and
    their factories are ``permanent``: one fresh row of each model, and the latest
    historical record of one (for the models with a history)."""
    with_history = [model for model in permanent if history_model(model) is not None]

    @pytest.fixture(params=list(permanent), ids=by_name)
    def row(request, db):
        return permanent[request.param]()

    @pytest.fixture(params=with_history, ids=by_name)
    def historical_row(request, db):
        made = permanent[request.param]()
        return history_model(request.param).objects.filter(id=made.pk).latest()

    return row, historical_row


def by_name(model) -> str:
    return model.__name__


def stored(row) -> dict:
    """The row's columns as the database holds them now."""
    return type(row)._base_manager.filter(pk=row.pk).values().get()


def database_refusal(action) -> str:
    """The database's refusal of ``action``, run in a savepoint ("" if it went through)."""
    try:
        with transaction.atomic():
            action()
    except IntegrityError as refusal:
        return str(refusal)
    return ""


def orm_refusal(action, refusal=RecordIsPermanent) -> str:
    """The ORM's refusal of ``action``, run in a savepoint: Django's deletion collector
    sends pre_delete inside the caller's transaction, which a refusal there spoils."""
    with pytest.raises(refusal) as refused, transaction.atomic():
        action()
    return str(refused.value)


def sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def fixed_fields(model) -> list[models.Field]:
    """The fields of ``model`` that its permanence fixes (a history fixes all of them)."""
    rule = getattr(model, "permanence", Permanence())
    if rule.fixed == ALL:
        return list(model._meta.concrete_fields)
    return [model._meta.pk, *map(model._meta.get_field, rule.fixed)]


def changed(field: models.Field, value):
    """A value of the field's type (and length) other than ``value``."""
    if isinstance(field, models.GenericIPAddressField):
        return "192.0.2.2" if value == "192.0.2.1" else "192.0.2.1"
    if field.is_relation or field.primary_key:
        return (value or 0) + 1_000_000
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.DateTimeField):
        return (value or timezone.now()) + timedelta(seconds=1)
    if isinstance(field, models.DateField):
        return (value or date(2025, 1, 1)) + timedelta(days=1)
    if isinstance(field, models.TimeField):  # attendance's times of a day
        base = value or time(8)
        return time((base.hour + 1) % 24, base.minute)
    if isinstance(field, models.DecimalField | models.IntegerField):
        return (value or 0) + 1
    text = str(value or "")
    return text[:-1] + ("Y" if text.endswith("X") else "X")


def rewrites(row, field: models.Field, new) -> dict[str, Callable]:
    """Every way to write ``new`` into the row's ``field``, by its name."""
    model = type(row)
    table, pk = model._meta.db_table, model._meta.pk.column
    paths = {
        "QuerySet.update": lambda: model._base_manager.filter(pk=row.pk).update(
            **{field.attname: new}
        ),
        "SQL UPDATE": lambda: sql(
            f'UPDATE "{table}" SET "{field.column}" = %s WHERE "{pk}" = %s',
            [field.get_db_prep_save(new, connection), row.pk],
        ),
    }
    if not field.primary_key:  # save() with another key would insert a copy, not rewrite
        paths["save()"] = lambda: edited(row, field, new).save()
        paths["bulk_update"] = lambda: model._base_manager.bulk_update(
            [edited(row, field, new)], [field.name]
        )
    return paths


def rewrites_let_through(row) -> list[tuple[str, str]]:
    """(field, path) of every rewrite of a fixed field that the database let through."""
    through = []
    for field in fixed_fields(type(row)):
        new = changed(field, getattr(row, field.attname))
        for path, action in rewrites(row, field, new).items():
            if UPDATE_REFUSED not in database_refusal(action):
                through.append((field.name, path))
    return through


def edited(row, field, value):
    copy = type(row)._base_manager.get(pk=row.pk)
    setattr(copy, field.attname, value)
    return copy


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


def expected_triggers(app_label: str | None = None) -> set[str]:
    expected = set()
    for model in permanent_models():
        if app_label is not None and model._meta.app_label != app_label:
            continue
        for table_of in (model, history_model(model)):
            if table_of is not None:
                names = trigger_names(table_of._meta.db_table)
                if connection.vendor == "sqlite":
                    del names["truncate"]  # SQLite has no TRUNCATE
                expected |= set(names.values())
    return expected


def settle_deferred_checks() -> None:
    """PostgreSQL refuses TRUNCATE while a foreign key check of the test's own inserts is
    still pending (Django's keys are deferred): run those checks now."""
    sql("SET CONSTRAINTS ALL IMMEDIATE")


class PermanenceProbes:
    """The paths every permanent model and its history are tried by; a subclass names the
    app and the migration that installs its triggers."""

    app_label: str
    migration: str

    # --- deletes ------------------------------------------------------------------------

    def test_the_orm_refuses_to_delete_a_permanent_record(self, row):
        model, before = type(row), stored(row)
        name = model.__name__
        refused = f"{name} {row} is a permanent record: it cannot be deleted."
        assert orm_refusal(row.delete) == refused
        rows_refused = f"{name} rows are permanent records: they cannot be deleted."
        assert orm_refusal(model.objects.filter(pk=row.pk).delete) == rows_refused
        assert orm_refusal(model.objects.all().delete) == rows_refused
        # Django's own queryset of the base manager: its collector stops at the row's
        # pre_delete, or before, at a row that points to it through a protected key.
        orm_refusal(model._base_manager.filter(pk=row.pk).delete, refusal=IntegrityError)
        assert stored(row) == before

    def test_the_orm_refuses_to_delete_history(self, historical_row):
        model, before = type(historical_row), stored(historical_row)
        refused = f"{model.__name__} {historical_row} is a permanent record: it cannot be deleted."
        assert orm_refusal(historical_row.delete) == refused
        assert orm_refusal(model.objects.filter(pk=historical_row.pk).delete) == refused
        by_manager = historical_row.instance_type.history.filter(pk=historical_row.pk).delete
        assert orm_refusal(by_manager) == refused
        assert stored(historical_row) == before

    def test_sql_cannot_delete_a_permanent_record(self, row):
        before, table = stored(row), type(row)._meta.db_table
        refusal = database_refusal(lambda: sql(f'DELETE FROM "{table}" WHERE id = %s', [row.pk]))
        assert DELETE_REFUSED in refusal
        assert DELETE_REFUSED in database_refusal(lambda: sql(f'DELETE FROM "{table}"'))
        # The collector's fast path, which sends no signal.
        raw_delete = type(row)._base_manager.all()._raw_delete
        assert DELETE_REFUSED in database_refusal(lambda: raw_delete("default"))
        assert stored(row) == before

    def test_sql_cannot_delete_history(self, historical_row):
        before, table = stored(historical_row), type(historical_row)._meta.db_table
        assert DELETE_REFUSED in database_refusal(lambda: sql(f'DELETE FROM "{table}"'))
        assert stored(historical_row) == before

    @ON_POSTGRESQL
    def test_truncate_is_refused(self, row):
        before, table = stored(row), type(row)._meta.db_table
        settle_deferred_checks()
        # A table that other tables point to is refused by PostgreSQL itself first.
        with pytest.raises(DatabaseError) as plain, transaction.atomic():
            sql(f'TRUNCATE "{table}"')
        assert DELETE_REFUSED in str(plain.value) or (
            "cannot truncate a table referenced in a foreign key constraint" in str(plain.value)
        )
        assert DELETE_REFUSED in database_refusal(lambda: sql(f'TRUNCATE "{table}" CASCADE'))
        assert stored(row) == before

    @ON_POSTGRESQL
    def test_truncate_of_history_is_refused(self, historical_row):
        before, table = stored(historical_row), type(historical_row)._meta.db_table
        settle_deferred_checks()
        assert DELETE_REFUSED in database_refusal(lambda: sql(f'TRUNCATE "{table}"'))
        assert stored(historical_row) == before

    # --- rewrites -----------------------------------------------------------------------

    def test_no_path_rewrites_a_fixed_field(self, row):
        before = stored(row)
        assert rewrites_let_through(row) == []
        assert stored(row) == before

    def test_no_path_rewrites_history(self, historical_row):
        before = stored(historical_row)
        assert rewrites_let_through(historical_row) == []
        assert stored(historical_row) == before

    # --- the migration ------------------------------------------------------------------

    @pytest.mark.migrations
    @pytest.mark.django_db(transaction=True)
    def test_the_migration_installs_the_triggers_and_its_reversal_removes_them(self):
        executor = MigrationExecutor(connection)
        ours = (self.app_label, self.migration)
        before = [parent.key for parent in executor.loader.graph.node_map[ours].parents]
        try:
            executor.migrate(before)
            assert installed_triggers() & expected_triggers(self.app_label) == set()
        finally:
            executor = MigrationExecutor(connection)
            executor.migrate(executor.loader.graph.leaf_nodes())
        assert installed_triggers() >= expected_triggers(self.app_label)
