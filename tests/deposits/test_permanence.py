"""Decorations, violations, deposits, deductions and refunds are permanent records
(config.permanence): no path deletes one or rewrites what is fixed once written, on SQLite
and PostgreSQL; their states still move, through the services. The same probes as
tests/fees/test_permanence.py, on one row of every permanent model of deposits (made by
its factory, through the services) and on a row of its history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection

from config.permanence import history_model, permanent_models
from deposits.enums import DepositStatus, RefundStatus
from deposits.models import (
    ApplicationDocument,
    ApplicationExtension,
    ApplicationPermit,
    DecorationApplication,
    Deduction,
    DeductionPhoto,
    Deposit,
    Inspection,
    InspectionItem,
    InspectionPhoto,
    MoveOut,
    MoveOutItem,
    MoveOutReading,
    Refund,
    Violation,
    ViolationPhoto,
)
from deposits.services.moveouts import moveout_confirm_condition
from deposits.services.violations import violation_resolve
from tests.factories.deposits import (
    ApplicationDocumentFactory,
    ApplicationExtensionFactory,
    ApplicationPermitFactory,
    DecorationApplicationFactory,
    DeductionFactory,
    DeductionPhotoFactory,
    DepositFactory,
    InspectionFactory,
    InspectionItemFactory,
    InspectionPhotoFactory,
    MoveOutFactory,
    MoveOutItemFactory,
    MoveOutReadingFactory,
    RefundFactory,
    ViolationFactory,
    ViolationPhotoFactory,
)
from tests.permanence import (
    UPDATE_REFUSED,
    PermanenceProbes,
    database_refusal,
    expected_triggers,
    installed_triggers,
    row_fixtures,
    sql,
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
    DeductionPhoto: DeductionPhotoFactory,
    ApplicationDocument: ApplicationDocumentFactory,
    InspectionPhoto: InspectionPhotoFactory,
    ViolationPhoto: ViolationPhotoFactory,
    MoveOut: MoveOutFactory,
    MoveOutReading: MoveOutReadingFactory,
    MoveOutItem: MoveOutItemFactory,
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # The files of documents and photos go to the test's own folder.
    settings.MEDIA_ROOT = tmp_path / "media"


WITH_HISTORY = [model for model in PERMANENT if history_model(model) is not None]
row, historical_row = row_fixtures(PERMANENT)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the deduction photo's file


class TestDepositsRecords(PermanenceProbes):
    app_label, migration = "deposits", "0002_permanent_records"


def test_every_permanent_model_of_deposits_is_tried_here():
    assert {m for m in permanent_models() if m._meta.app_label == "deposits"} == set(PERMANENT)
    assert set(WITH_HISTORY) == {DecorationApplication, Violation, Deposit, Refund, MoveOut}


@pytest.mark.django_db
def test_every_table_of_deposits_has_its_triggers():
    assert installed_triggers() >= expected_triggers("deposits")
    assert len(expected_triggers("deposits")) == 21 * (
        3 if connection.vendor == "postgresql" else 2
    )


# --- rewrites -----------------------------------------------------------------------------


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


# --- shop handovers --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_handover_keeps_its_start_and_a_completed_one_changes_no_more(assistant, manager):
    moveout = MoveOutFactory(started_by=assistant)
    rows = MoveOut.objects.filter(pk=moveout.pk)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(keys_issued=1))
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(late_daily_fee=D("9.00")))
    # The keys are counted again while it is open.
    rows.update(keys_returned=2)
    rows.update(keys_returned=3)
    moveout_confirm_condition(by=assistant, moveout=moveout)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(condition_confirmed_at=None))
    rows.update(status="complete", completed_by=manager, completed_at=moveout.started_at)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(keys_returned=1))
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(status="open"))
    assert rows.get().keys_returned == 3


@pytest.mark.django_db
def test_a_reading_s_amount_and_charge_are_fixed():
    reading = MoveOutReadingFactory()
    rows = MoveOutReading.objects.filter(pk=reading.pk)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(amount=D("1.00")))
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(charge=None))
    assert rows.get().amount == D("43.75")
