"""Decorations, violations, deposits, deductions and refunds are permanent records
(config.permanence): no path deletes one or rewrites what is fixed once written, on SQLite
and PostgreSQL; their states still move, through the services. The same probes as
tests/fees/test_permanence.py, on one row of every permanent model of deposits (made by
its factory, through the services) and on a row of its history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from config.permanence import history_model, permanent_models
from deposits.enums import DepositStatus, RefundStatus
from deposits.models import (
    ApplicationExtension,
    ApplicationPermit,
    DecorationApplication,
    Deduction,
    Deposit,
    Inspection,
    InspectionItem,
    Refund,
    Violation,
)
from deposits.services.violations import violation_resolve
from tests.factories.deposits import (
    ApplicationExtensionFactory,
    ApplicationPermitFactory,
    DecorationApplicationFactory,
    DeductionFactory,
    DepositFactory,
    InspectionFactory,
    InspectionItemFactory,
    RefundFactory,
    ViolationFactory,
)
from tests.fees.test_permanence import (
    DELETE_REFUSED,
    ON_POSTGRESQL,
    UPDATE_REFUSED,
    database_refusal,
    expected_triggers,
    installed_triggers,
    orm_refusal,
    rewrites_let_through,
    settle_deferred_checks,
    sql,
    stored,
)

D = Decimal

# Every permanent model of deposits, and how a test gets one of its rows.
PERMANENT = {
    DecorationApplication: DecorationApplicationFactory,
    ApplicationExtension: ApplicationExtensionFactory,
    ApplicationPermit: ApplicationPermitFactory,
    Inspection: InspectionFactory,
    InspectionItem: InspectionItemFactory,
    Violation: ViolationFactory,
    Deposit: DepositFactory,
    Refund: RefundFactory,
    Deduction: DeductionFactory,
}
WITH_HISTORY = [model for model in PERMANENT if history_model(model) is not None]


def by_name(model) -> str:
    return model.__name__


@pytest.fixture(params=list(PERMANENT), ids=by_name)
def row(request, db):
    return PERMANENT[request.param]()


@pytest.fixture(params=WITH_HISTORY, ids=by_name)
def historical_row(request, db):
    made = PERMANENT[request.param]()
    return history_model(request.param).objects.filter(id=made.pk).latest()


def test_every_permanent_model_of_deposits_is_tried_here():
    assert {m for m in permanent_models() if m._meta.app_label == "deposits"} == set(PERMANENT)
    assert set(WITH_HISTORY) == {DecorationApplication, Violation, Deposit, Refund}


@pytest.mark.django_db
def test_every_table_of_deposits_has_its_triggers():
    assert installed_triggers() >= expected_triggers("deposits")
    assert len(expected_triggers("deposits")) == 13 * (
        3 if connection.vendor == "postgresql" else 2
    )


# --- deletes ------------------------------------------------------------------------------


def test_the_orm_refuses_to_delete_a_deposits_record(row):
    model, before = type(row), stored(row)
    name = model.__name__
    assert orm_refusal(row.delete) == f"{name} {row} is a permanent record: it cannot be deleted."
    refused = f"{name} rows are permanent records: they cannot be deleted."
    assert orm_refusal(model.objects.filter(pk=row.pk).delete) == refused
    orm_refusal(model._base_manager.filter(pk=row.pk).delete, refusal=IntegrityError)
    assert stored(row) == before


def test_the_orm_refuses_to_delete_history(historical_row):
    model, before = type(historical_row), stored(historical_row)
    refused = f"{model.__name__} {historical_row} is a permanent record: it cannot be deleted."
    assert orm_refusal(historical_row.delete) == refused
    by_manager = historical_row.instance_type.history.filter(pk=historical_row.pk).delete
    assert orm_refusal(by_manager) == refused
    assert stored(historical_row) == before


def test_sql_cannot_delete_a_deposits_record(row):
    before, table = stored(row), type(row)._meta.db_table
    refusal = database_refusal(lambda: sql(f'DELETE FROM "{table}" WHERE id = %s', [row.pk]))
    assert DELETE_REFUSED in refusal
    raw_delete = type(row)._base_manager.all()._raw_delete
    assert DELETE_REFUSED in database_refusal(lambda: raw_delete("default"))
    assert stored(row) == before


def test_sql_cannot_delete_history(historical_row):
    before, table = stored(historical_row), type(historical_row)._meta.db_table
    assert DELETE_REFUSED in database_refusal(lambda: sql(f'DELETE FROM "{table}"'))
    assert stored(historical_row) == before


@ON_POSTGRESQL
def test_truncate_is_refused(row):
    before, table = stored(row), type(row)._meta.db_table
    settle_deferred_checks()
    with pytest.raises(DatabaseError) as plain, transaction.atomic():
        sql(f'TRUNCATE "{table}"')
    assert DELETE_REFUSED in str(plain.value) or (
        "cannot truncate a table referenced in a foreign key constraint" in str(plain.value)
    )
    assert DELETE_REFUSED in database_refusal(lambda: sql(f'TRUNCATE "{table}" CASCADE'))
    assert stored(row) == before


# --- rewrites -----------------------------------------------------------------------------


def test_no_path_rewrites_a_fixed_field(row):
    before = stored(row)
    assert rewrites_let_through(row) == []
    assert stored(row) == before


def test_no_path_rewrites_history(historical_row):
    before = stored(historical_row)
    assert rewrites_let_through(historical_row) == []
    assert stored(historical_row) == before


@pytest.mark.django_db
def test_a_refund_raised_above_what_was_held_is_refused():
    refund = RefundFactory()
    rows = Refund.objects.filter(pk=refund.pk)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(amount=D("5000.00")))
    raw = "UPDATE deposits_refund SET amount = 9999, held = 10299 WHERE id = %s"
    assert UPDATE_REFUSED in database_refusal(lambda: sql(raw, [refund.pk]))
    assert rows.get().amount == D("4700.00")


# --- what still moves, through the services -----------------------------------------------


@pytest.mark.django_db
def test_a_paid_refund_and_its_refunded_deposit_change_no_more():
    refund = RefundFactory(status=RefundStatus.PAID)
    refunds = Refund.objects.filter(pk=refund.pk)
    deposits = Deposit.objects.filter(pk=refund.deposit_id)
    assert UPDATE_REFUSED in database_refusal(lambda: refunds.update(status="approved"))
    assert UPDATE_REFUSED in database_refusal(lambda: refunds.update(reference="改"))
    assert UPDATE_REFUSED in database_refusal(lambda: deposits.update(status=DepositStatus.HELD))
    assert (refunds.get().status, deposits.get().status) == (
        RefundStatus.PAID,
        DepositStatus.REFUNDED,
    )


@pytest.mark.django_db
def test_a_decision_is_written_once():
    refund = RefundFactory(status=RefundStatus.APPROVED)
    rows = Refund.objects.filter(pk=refund.pk)
    later = refund.decided_at + timedelta(hours=1)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(decided_at=later))
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(decided_by=None))


@pytest.mark.django_db
def test_a_violation_is_resolved_once(assistant):
    violation = violation_resolve(
        by=assistant, violation=ViolationFactory(penalty=None), resolution="已整改"
    )
    rows = Violation.objects.filter(pk=violation.pk)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(resolution="没整改"))
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(resolved_on=None))
    assert rows.get().resolution == "已整改"


@pytest.mark.django_db
def test_a_decoration_s_end_moves_later_only():
    extension = ApplicationExtensionFactory()
    rows = DecorationApplication.objects.filter(pk=extension.application_id)
    earlier = extension.new_end - timedelta(days=1)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(planned_end=earlier))
    rows.update(planned_end=extension.new_end + timedelta(days=1))  # later: an extension


# --- the migration ------------------------------------------------------------------------


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_the_migration_installs_the_triggers_and_its_reversal_removes_them():
    executor = MigrationExecutor(connection)
    ours = ("deposits", "0002_permanent_records")
    before = [parent.key for parent in executor.loader.graph.node_map[ours].parents]
    try:
        executor.migrate(before)
        assert installed_triggers() & expected_triggers("deposits") == set()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert installed_triggers() >= expected_triggers("deposits")
