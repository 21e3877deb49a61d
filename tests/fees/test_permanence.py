"""Money and register records of fees are permanent (config.permanence, issue #9): the
probes of tests/permanence.py (every delete and rewrite path, on a row of every permanent
model and of its history, on SQLite and PostgreSQL) on fees' models, and here what is
particular to fees:

- a related manager's delete of a receipt's lines;
- TRUNCATE ... CASCADE of the tables the records point to (users, tenants, fee types),
  which would empty them too (PostgreSQL);
- Django's own flush (manage.py flush);
- the admin as a superuser: the delete page (GET and POST) and the list's "delete selected";
- from a client outside Django, with the rows committed: DELETE, UPDATE, TRUNCATE;
- the states that still move, through the services, and then change no more;
- the access log and the rights record, kept the same way.
"""

import sqlite3
from contextlib import closing
from datetime import timedelta
from decimal import Decimal

import psycopg
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.migrations.loader import MigrationLoader
from django.test import RequestFactory
from django.utils import timezone

from archives.services import access_record
from config.models import RightsChange
from config.permanence import (
    MakePermanent,
    Permanence,
    PermanentAdmin,
    check_admin_offers_no_delete,
    check_declarations,
    history_model,
    maintenance,
    permanent_models,
)
from config.roles import Role
from fees.enums import DayState, PermitStatus, ReceiptStatus
from fees.models import (
    Charge,
    ChargeOffset,
    DailyClose,
    DailyCloseMethod,
    DayCount,
    DayCountAmount,
    DayCountCash,
    DiscountApproval,
    Discrepancy,
    DunningNote,
    Handover,
    MonthLock,
    NumberSequence,
    Payout,
    Permit,
    Receipt,
    ReceiptBook,
    ReceiptLine,
    ReceiptOriginal,
    ReceiptPrint,
    SpoiledPaperReceipt,
)
from fees.services import days
from fees.services.books import book_return, book_transcribe
from fees.services.charges import charge_cancel
from fees.services.numbering import next_number
from fees.services.permits import permit_return
from fees.services.receipts import LineInput, Payer, receipt_approve_void, receipt_request_void
from tests.conftest import UNPATCHED_FLUSH, ensure_fee_catalogue
from tests.factories.archives import TenantFactory
from tests.factories.fees import (
    ChargeFactory,
    ChargeOffsetFactory,
    DailyCloseFactory,
    DailyCloseMethodFactory,
    DayCountAmountFactory,
    DayCountCashFactory,
    DayCountFactory,
    DiscountApprovalFactory,
    DiscrepancyFactory,
    DunningNoteFactory,
    HandoverFactory,
    MonthLockFactory,
    NumberSequenceFactory,
    PayoutFactory,
    PermitFactory,
    ReceiptBookFactory,
    ReceiptFactory,
    ReceiptLineFactory,
    ReceiptOriginalFactory,
    ReceiptPrintFactory,
    SpoiledPaperReceiptFactory,
    fee,
)
from tests.factories.people import staff
from tests.permanence import (
    DELETE_REFUSED,
    ON_POSTGRESQL,
    UPDATE_REFUSED,
    PermanenceProbes,
    database_refusal,
    expected_triggers,
    installed_triggers,
    orm_refusal,
    row_fixtures,
    settle_deferred_checks,
    sql,
    stored,
)

D = Decimal

# Every permanent model of fees, and how a test gets one of its rows.
PERMANENT = {
    Receipt: ReceiptFactory,
    ReceiptLine: ReceiptLineFactory,
    ReceiptPrint: ReceiptPrintFactory,
    ReceiptOriginal: ReceiptOriginalFactory,
    DailyClose: DailyCloseFactory,
    DailyCloseMethod: DailyCloseMethodFactory,
    DayCount: DayCountFactory,
    DayCountCash: DayCountCashFactory,
    DayCountAmount: DayCountAmountFactory,
    Handover: HandoverFactory,
    Discrepancy: DiscrepancyFactory,
    MonthLock: MonthLockFactory,
    Permit: PermitFactory,
    Charge: ChargeFactory,
    ChargeOffset: ChargeOffsetFactory,
    DunningNote: DunningNoteFactory,
    DiscountApproval: DiscountApprovalFactory,
    ReceiptBook: ReceiptBookFactory,
    SpoiledPaperReceipt: SpoiledPaperReceiptFactory,
    NumberSequence: NumberSequenceFactory,
    Payout: PayoutFactory,
}
WITH_HISTORY = [model for model in PERMANENT if history_model(model) is not None]
row, historical_row = row_fixtures(PERMANENT)


class TestFeesRecords(PermanenceProbes):
    app_label, migration = "fees", "0016_permanent_records"


# --- the models and the migration agree ---------------------------------------------------


def test_every_permanent_model_of_fees_is_tried_here():
    fees_models = {m for m in permanent_models() if m._meta.app_label == "fees"}
    assert fees_models == set(PERMANENT)


def test_the_migrations_install_what_the_models_declare():
    """Each model's permanence and its latest MakePermanent operation are the same (a new
    fixed column needs both), and each history is wholly fixed."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migrated = {}
    for leaf in loader.graph.leaf_nodes():
        for node in loader.graph.forwards_plan(leaf):
            for operation in loader.graph.nodes[node].operations:
                if isinstance(operation, MakePermanent):
                    migrated[(node[0], operation.model_name.lower())] = operation.permanence
    declared = {}
    for model in permanent_models():
        declared[(model._meta.app_label, model._meta.model_name)] = model.permanence
        history = history_model(model)
        if history is not None:
            declared[(history._meta.app_label, history._meta.model_name)] = Permanence()
    assert migrated == declared
    assert check_declarations() == []


def test_a_declaration_that_names_no_field_is_reported():
    declaration = Permanence(fixed=("totl", "number"), filled_once=("number",))
    assert declaration.problems(Receipt) == [
        "totl is no field of fees.Receipt",
        "fees.Receipt: a field is listed twice",
    ]


@pytest.mark.django_db
def test_every_permanent_table_has_its_triggers():
    assert installed_triggers() >= expected_triggers()
    # 30 tables of fees (their 10 histories among them), the access log, the rights record,
    # 21 of deposits (their 5 histories among them), and archives' holds, destruction lists
    # (with their history) and their lines; attendance's records (with their history),
    # amendments and signed months.
    assert len(expected_triggers()) == 61 * (3 if connection.vendor == "postgresql" else 2)


# --- deletes ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_related_manager_cannot_delete_a_receipts_lines(assistant):
    receipt = ReceiptFactory(cashier=assistant)
    assert orm_refusal(receipt.lines.all().delete) == (
        "ReceiptLine rows are permanent records: they cannot be deleted."
    )
    assert receipt.lines.count() == 1


@ON_POSTGRESQL
@pytest.mark.django_db
def test_truncating_what_a_receipt_points_to_cannot_take_the_receipt_with_it():
    receipt = ReceiptFactory()
    before = stored(receipt)
    settle_deferred_checks()
    for table in ("auth_user", "archives_tenant", "fees_feetype"):
        refusal = database_refusal(lambda table=table: sql(f'TRUNCATE "{table}" CASCADE'))
        assert DELETE_REFUSED in refusal
    assert stored(receipt) == before


@pytest.mark.django_db
def test_djangos_own_flush_is_refused(monkeypatch):
    """manage.py flush (TRUNCATE or DELETE of every table): only the test suite's flush
    runs in maintenance (tests/conftest.py)."""
    receipt = ReceiptFactory()
    before = stored(receipt)
    if connection.vendor == "postgresql":
        settle_deferred_checks()
    monkeypatch.setattr(BaseDatabaseOperations, "execute_sql_flush", UNPATCHED_FLUSH)
    with pytest.raises(CommandError) as refused:
        call_command("flush", interactive=False, verbosity=0)
    assert DELETE_REFUSED in str(refused.value.__cause__)
    assert stored(receipt) == before


# --- rewrites -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_issue_s_probe_a_total_raised_from_300_to_1300_is_refused(assistant):
    receipt = ReceiptFactory(cashier=assistant, lines=[("permit_fee", "300.00", 1)])
    update = Receipt.objects.filter(pk=receipt.pk).update
    assert UPDATE_REFUSED in database_refusal(lambda: update(total=D("1300.00")))
    raw = "UPDATE fees_receipt SET total = 1300 WHERE id = %s"
    assert UPDATE_REFUSED in database_refusal(lambda: sql(raw, [receipt.pk]))
    assert Receipt.objects.get(pk=receipt.pk).total == D("300.00")
    assert receipt.history.count() == 1


# --- what still moves, through the services -----------------------------------------------


@pytest.mark.django_db
def test_a_receipt_is_voided_through_the_services_and_then_changes_no_more(assistant, manager):
    receipt = ReceiptFactory(cashier=assistant)
    receipt_request_void(receipt=receipt, by=assistant, reason="开错金额")
    receipt = receipt_approve_void(receipt=receipt, by=manager)
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.VOID
    before = stored(receipt)
    back = Receipt.objects.filter(pk=receipt.pk)
    assert UPDATE_REFUSED in database_refusal(lambda: back.update(status=ReceiptStatus.ISSUED))
    assert UPDATE_REFUSED in database_refusal(lambda: back.update(void_reason="没有作废"))
    assert stored(receipt) == before


@pytest.mark.django_db
def test_a_day_moves_to_its_handover_through_the_services_and_then_changes_no_more():
    handover = HandoverFactory(takings=D("20.00"))
    day = DailyClose.objects.get(pk=handover.day_id)
    assert day.state == DayState.HANDED_OVER
    before = stored(day)
    again = DailyClose.objects.filter(pk=day.pk)
    assert UPDATE_REFUSED in database_refusal(lambda: again.update(state=DayState.OPEN))
    assert UPDATE_REFUSED in database_refusal(lambda: again.update(return_comment="重来"))
    figures = DailyCloseMethod.objects.filter(close=day, method="cash")
    assert UPDATE_REFUSED in database_refusal(lambda: figures.update(counted=D("999.00")))
    assert stored(day) == before
    assert figures.get().counted == D("20.00")


@pytest.mark.django_db
def test_a_days_figures_change_with_a_recount_until_the_manager_approves(assistant, manager):
    DayCountFactory(counted_by=assistant, cash={"50": 1})
    DayCountFactory(counted_by=assistant, cash={"50": 2})
    day = DailyClose.objects.get(business_date=timezone.localdate())
    assert day.counted_by_method["cash"] == D("100.00")
    assert [count.cash_counted for count in day.counts.all()] == [D("50.00"), D("100.00")]

    approved = DailyCloseMethodFactory()
    day = days.day_approve(day=approved.close, by=manager)
    figures = DailyCloseMethod.objects.filter(pk=approved.pk)
    assert UPDATE_REFUSED in database_refusal(lambda: figures.update(expected=D("0.00")))
    assert UPDATE_REFUSED in database_refusal(lambda: figures.update(explanation="改"))
    assert figures.get().expected == D("20.00")


@pytest.mark.django_db
def test_a_discrepancy_is_signed_off_once(manager):
    discrepancy = DiscrepancyFactory(amount=D("-10.00"))
    signed = days.discrepancy_sign_off(discrepancy=discrepancy, by=manager, explanation="少点")
    assert (signed.explanation, signed.signed_off_by) == ("少点", manager)
    rows = Discrepancy.objects.filter(pk=discrepancy.pk)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(explanation="没有少"))
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(signed_off_at=None))
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(amount=D("0.00")))
    assert rows.get().explanation == "少点"


@pytest.mark.django_db
def test_a_charge_is_cancelled_once_and_for_good(assistant):
    charge = ChargeFactory(created_by=assistant)
    charge_cancel(by=assistant, charge=charge, reason="重复开单")
    rows = Charge.objects.filter(pk=charge.pk)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(cancelled=False))
    assert rows.get().cancelled is True


@pytest.mark.django_db
def test_a_permit_is_returned_once_and_a_cancelled_one_is_final(assistant, manager):
    permit = PermitFactory(issued_by=assistant, with_card_deposit=True)
    returned = permit_return(by=assistant, permit=permit)
    today = timezone.localdate()
    assert (returned.status, returned.returned_on, returned.deposit_released_on) == (
        PermitStatus.RETURNED,
        today,
        today,
    )
    rows = Permit.objects.filter(pk=permit.pk)
    earlier = today - timedelta(days=3)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(returned_on=earlier))
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(deposit_released_on=None))

    receipt_request_void(receipt=permit.receipt, by=assistant, reason="开错")
    receipt_approve_void(receipt=permit.receipt, by=manager)
    assert rows.get().status == PermitStatus.CANCELLED
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(status=PermitStatus.ACTIVE))
    assert rows.get().status == PermitStatus.CANCELLED


@pytest.mark.django_db
def test_a_transcription_writes_its_paper_number_once_and_a_book_returns_once(assistant):
    book = ReceiptBookFactory(issued_to=assistant)
    receipt, _created = book_transcribe(
        by=assistant,
        book=book,
        number=book.first_number,
        payer=Payer(kind="person", name="王师傅"),
        lines=[LineInput(fee_type=fee("permit_fee"), unit_price=D("20.00"))],
        method="cash",
        paper_date=timezone.localdate(),
    )
    assert Receipt.objects.get(pk=receipt.pk).paper_number == book.paper_number(book.first_number)
    rows = Receipt.objects.filter(pk=receipt.pk)
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(paper_number="0009999"))
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(book=None))

    book_return(by=assistant, book=book, returned_on=timezone.localdate())
    books = ReceiptBook.objects.filter(pk=book.pk)
    yesterday = timezone.localdate() - timedelta(days=1)
    assert UPDATE_REFUSED in database_refusal(lambda: books.update(returned_on=yesterday))
    assert UPDATE_REFUSED in database_refusal(lambda: books.update(last_number=9_999_999))
    assert books.get().returned_on == timezone.localdate()


@pytest.mark.django_db
def test_a_numbering_sequence_moves_forward_only():
    with transaction.atomic():
        assert [next_number("test-series"), next_number("test-series")] == [1, 2]
    rows = NumberSequence.objects.filter(key="test-series")
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(last_value=1))
    rows.update(last_value=10)  # the demo street continues after its bulk receipts
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(key="other-series"))
    assert rows.get().last_value == 10


# --- maintenance --------------------------------------------------------------------------


@pytest.mark.django_db
def test_maintenance_lets_rows_be_rewritten_within_its_block_only(assistant):
    receipt = ReceiptFactory(cashier=assistant, lines=[("permit_fee", "300.00", 1)])
    rows = Receipt.objects.filter(pk=receipt.pk)
    with maintenance():
        with maintenance():
            rows.update(total=D("310.00"))
        rows.update(total=D("320.00"))  # the outer block is still in maintenance
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(total=D("330.00")))
    with pytest.raises(RuntimeError), maintenance():
        rows.update(total=D("340.00"))
        raise RuntimeError("the block fails: its maintenance ends with it")
    assert UPDATE_REFUSED in database_refusal(lambda: rows.update(total=D("350.00")))
    assert rows.get().total == D("320.00")


# --- the admin ----------------------------------------------------------------------------


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-for-tests-1")


def test_the_admin_offers_no_delete_to_a_superuser(row, superuser, client):
    model, before = type(row), stored(row)
    client.force_login(superuser)
    page = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    delete_page = f"{page}{row.pk}/delete/"
    assert client.get(delete_page).status_code == 404
    assert client.post(delete_page, {"post": "yes"}).status_code == 404
    selected = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    assert client.post(page, selected).status_code == 404
    assert stored(row) == before


@pytest.mark.django_db
def test_the_admin_registers_no_permanent_model_that_it_could_delete(superuser):
    assert check_admin_offers_no_delete() == []
    plain = admin.ModelAdmin(Receipt, admin.site)
    admin.site._registry[Receipt] = plain
    try:
        assert [error.id for error in check_admin_offers_no_delete()] == ["config.E101"]
    finally:
        del admin.site._registry[Receipt]


@pytest.mark.django_db
def test_a_permanent_admin_has_no_delete_page_or_action(superuser):
    receipt = ReceiptFactory()
    model_admin = type("ReceiptAdmin", (PermanentAdmin, admin.ModelAdmin), {})(Receipt, admin.site)
    page = f"/admin/fees/receipt/{receipt.pk}/delete/"
    for request in (RequestFactory().get(page), RequestFactory().post(page, {"post": "yes"})):
        request.user = superuser
        request._dont_enforce_csrf_checks = True  # as the test client does
        assert model_admin.has_delete_permission(request, receipt) is False
        assert "delete_selected" not in model_admin.get_actions(request)
        with pytest.raises(PermissionDenied):
            model_admin.delete_view(request, str(receipt.pk))
    assert Receipt.objects.filter(pk=receipt.pk).exists()


# --- a client outside Django --------------------------------------------------------------


def outside_client():
    """A connection to the test database that is not Django's: an attacker's SQL client."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"],
            host=settings["HOST"],
            port=settings["PORT"] or None,
            autocommit=True,
        )
    return sqlite3.connect(settings["NAME"], uri=True, isolation_level=None)


# Committed rows, so that the outside client sees them.
@pytest.mark.django_db(transaction=True)
def test_a_client_outside_django_can_neither_delete_nor_rewrite():
    ensure_fee_catalogue()  # a transactional test before this one flushed it
    receipt = ReceiptFactory(cashier=staff(Role.ASSISTANT), lines=[("permit_fee", "300.00", 1)])
    before = stored(receipt)
    attempts = [
        "DELETE FROM fees_receipt",
        "DELETE FROM fees_receiptline",
        "DELETE FROM fees_historicalreceipt",
        "UPDATE fees_receipt SET total = 1300",
        "UPDATE fees_receiptline SET amount = 1300, unit_price = 1300",
    ]
    if connection.vendor == "postgresql":
        attempts += ["TRUNCATE fees_receipt CASCADE", "TRUNCATE auth_user CASCADE"]
        refused = psycopg.errors.RestrictViolation
    else:
        refused = sqlite3.OperationalError  # no such function: servicedesk_maintenance
    answers = []
    with closing(outside_client()) as client:
        for statement in attempts:
            with pytest.raises(refused) as refusal:
                client.execute(statement)
            answers.append(str(refusal.value).splitlines()[0])
    if connection.vendor == "sqlite":
        assert set(answers) == {"no such function: servicedesk_maintenance"}
    assert stored(receipt) == before
    assert ReceiptLine.objects.get(receipt=receipt).amount == D("300.00")


# --- the records of other apps: the access log and the rights record ----------------------


def an_access_line():
    """A whole ID shown to the manager, as archives.services writes it."""
    tenant = TenantFactory()
    return access_record(record=tenant, by=staff(Role.MANAGER), kind="whole_id", page="/t/")


def a_rights_change():
    """A role given to a user: config.rights records it, whatever the path."""
    user = staff(Role.ASSISTANT)
    user.groups.clear()
    user.groups.add(Group.objects.get(name=Role.MANAGER))
    return RightsChange.objects.filter(user=user).latest("pk")


@pytest.mark.django_db
@pytest.mark.parametrize("make", [an_access_line, a_rights_change], ids=["access", "rights"])
def test_the_access_log_and_the_rights_record_are_permanent(make):
    row = make()
    model, table = type(row), type(row)._meta.db_table
    assert "is a permanent record: it cannot be deleted" in orm_refusal(row.delete)
    assert "rows are permanent records" in orm_refusal(lambda: model.objects.all().delete())
    assert UPDATE_REFUSED in database_refusal(
        lambda: model.objects.filter(pk=row.pk).update(at=row.at - timedelta(days=1))
    )
    assert DELETE_REFUSED in database_refusal(lambda: sql(f"DELETE FROM {table}"))
    assert model.objects.filter(pk=row.pk, at=row.at).exists()


@pytest.mark.parametrize("make", [an_access_line, a_rights_change], ids=["access", "rights"])
def test_the_admin_lists_the_access_log_and_the_rights_record_but_deletes_neither(
    make, superuser, client
):
    row = make()
    client.force_login(superuser)
    page = f"/admin/{row._meta.app_label}/{row._meta.model_name}/"
    assert client.get(page).status_code == 200
    delete_page = f"{page}{row.pk}/delete/"
    assert client.get(delete_page).status_code == 403
    assert client.post(delete_page, {"post": "yes"}).status_code == 403
    selected = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    client.post(page, selected)
    assert type(row).objects.filter(pk=row.pk).exists()
