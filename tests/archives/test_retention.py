"""Retention and destruction: what is past its period (counted from the end of the year the
file closed, or the volume's year), holds keeping a document off every list until lifted,
two different approvers (never the one who drew the list, never the same person twice),
the witness, destroyed documents kept as rows, and the destruction register kept for ever."""

import importlib
import io
from datetime import date

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from archives.models import (
    DestructionItem,
    DestructionList,
    Document,
    DocumentType,
    Hold,
    ListState,
    RecordKind,
)
from archives.selectors.retention import documents_due, records_due
from archives.services.records import record_file, record_register, volume_open
from archives.services.retention import (
    destruction_approve,
    destruction_draw,
    destruction_record,
    destruction_reject,
    destruction_review,
    hold_lift,
    hold_place,
)
from config.permanence import RecordIsPermanent
from config.roles import Role
from config.validators import RuleError
from tests.factories.archives import closed_file, file_document, tenant_file

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def old_file(assistant):
    """A file closed twenty years ago: its 10-year documents are past their period, its
    30-year and permanent ones are not."""
    made = closed_file(date(today().year - 20, 6, 30), by=assistant)
    return made


@pytest.fixture
def due(assistant, old_file) -> Document:
    return file_document(old_file, "emergency_contacts", by=assistant, title="紧急联系人 2005")


def drawn(assistant) -> DestructionList:
    return destruction_draw(by=assistant, review_due=today())


def listed(destruction_list) -> list:
    return list(destruction_list.items.values_list("document_id", "record_id"))


def refusal(call) -> str:
    with pytest.raises(RuleError) as refused:
        call()
    return " ".join(refused.value.messages)


def approved(assistant, manager, finance) -> DestructionList:
    made = drawn(assistant)
    destruction_approve(by=manager, destruction_list=made)
    return destruction_review(by=finance, destruction_list=made)


def destroyed(assistant, manager, finance) -> DestructionList:
    """An approved list, shredded today before a witness."""
    return destruction_record(
        by=assistant,
        destruction_list=approved(assistant, manager, finance),
        method="shredding",
        destroyed_on=today(),
        witness="王监销",
    )


# --- what is due ---------------------------------------------------------------------------


def test_retention_counts_from_the_end_of_the_year_the_file_closed(assistant, old_file, due):
    closed = old_file.closed_on.year
    file_document(old_file, "lease", by=assistant)  # 30 years: not yet
    file_document(old_file, "inspection_report", by=assistant)  # permanent
    open_file = tenant_file(by=assistant)  # not closed: its clock has not started
    file_document(open_file, "emergency_contacts", by=assistant)
    # Closed ten years before this year: its 10-year period ended last 31 December.
    recent = closed_file(date(today().year - 11, 12, 31), by=assistant)
    ended = file_document(recent, "emergency_contacts", by=assistant)
    running = file_document(
        closed_file(date(today().year - 10, 1, 1), by=assistant), "emergency_contacts"
    )
    rows = {d.pk: (d.closed_year, d.ends_year) for d in documents_due(today())}
    assert rows == {
        due.pk: (closed, closed + 10),
        ended.pk: (today().year - 11, today().year - 1),
    }
    assert running.pk not in rows


def test_a_centre_record_counts_from_its_volumes_year(assistant):
    year = today().year - 15
    volume = volume_open(by=assistant, year=year, title="收发文", retention="30y")
    notice = record_register(
        by=assistant, kind=RecordKind.NOTICE, date=date(year, 3, 1), title="停水通知"
    )
    record_file(record=notice, volume=volume, by=assistant)  # notices: 10 years
    letter = record_register(
        by=assistant, kind=RecordKind.LETTER_IN, date=date(year, 3, 2), title="来函"
    )
    record_file(record=letter, volume=volume, by=assistant)  # letters: 30 years
    assert [(r.pk, r.ends_year) for r in records_due(today())] == [(notice.pk, year + 10)]
    made = drawn(assistant)
    assert listed(made) == [(None, notice.pk)]
    item = made.items.get()
    assert (item.reference, item.retention_years, item.closed_year, item.expired_on) == (
        notice.number,
        10,
        year,
        date(year + 10, 12, 31),
    )


def test_a_list_holds_what_is_due_when_drawn_and_nothing_twice(assistant, due):
    made = drawn(assistant)
    assert (made.number, made.state, listed(made)) == (
        f"XH-{today().year}-01",
        ListState.DRAWN,
        [(due.pk, None)],
    )
    item = made.items.get()
    assert (item.reference, item.title, item.kind, item.retention_years) == (
        due.file.number,
        "紧急联系人 2005",
        "紧急联系人",
        10,
    )
    # On a list still to be decided, it goes on no other.
    assert refusal(lambda: drawn(assistant)) == (
        "Nothing is past its retention period: there is nothing to list."
    )


# --- the stored last year of retention ---------------------------------------------------


def end_year(document: Document) -> int | None:
    return Document.objects.values_list("retention_end_year", flat=True).get(pk=document.pk)


def test_closing_a_file_stores_the_last_year_of_each_document_kept_for_years(assistant):
    closed = today().year - 20
    filed = {}

    def file_papers(made):
        filed["contacts"] = file_document(made, "emergency_contacts", by=assistant)  # 10 years
        filed["lease"] = file_document(made, "lease", by=assistant)  # 30 years
        filed["report"] = file_document(made, "inspection_report", by=assistant)  # permanent
        filed["longer"] = file_document(
            made, "emergency_contacts", by=assistant, retention_years=30
        )
        filed["kept"] = file_document(made, "lease", by=assistant, permanent=True)
        # While the file is open its documents' clocks have not started.
        assert [end_year(d) for d in filed.values()] == [None, None, None, None, None]
        assert [d.retention_end_year for d in filed.values()] == [None, None, None, None, None]

    closed_file(date(closed, 6, 30), by=assistant, before_closing=file_papers)
    assert {name: end_year(d) for name, d in filed.items()} == {
        "contacts": closed + 10,
        "lease": closed + 30,
        "report": None,
        "longer": closed + 30,
        "kept": None,
    }
    assert [d.pk for d in documents_due(today())] == [filed["contacts"].pk]


def test_a_document_filed_into_a_closed_file_stores_its_last_year_at_once(assistant, old_file):
    closed = old_file.closed_on.year
    contacts = file_document(old_file, "emergency_contacts", by=assistant)
    lease = file_document(old_file, "lease", by=assistant)
    report = file_document(old_file, "inspection_report", by=assistant)
    assert [contacts.retention_end_year, lease.retention_end_year, report.retention_end_year] == [
        closed + 10,
        closed + 30,
        None,
    ]
    assert [end_year(contacts), end_year(lease), end_year(report)] == [
        closed + 10,
        closed + 30,
        None,
    ]


def test_a_catalogue_change_keeps_the_retention_documents_were_filed_with(assistant, old_file, due):
    """A document keeps the retention it was filed with (its type's then, or longer): a type
    kept longer from now on changes what its later documents store, not what is due."""
    closed = old_file.closed_on.year
    contacts = DocumentType.objects.get(code="emergency_contacts")
    contacts.retention_years = 30
    contacts.save()
    assert end_year(due) == closed + 10
    assert [d.pk for d in documents_due(today())] == [due.pk]
    later = file_document(old_file, "emergency_contacts", by=assistant, title="紧急联系人 2006")
    assert (later.retention_years, end_year(later)) == (30, closed + 30)
    contacts.retention_years = None  # kept for ever from now on
    contacts.save()
    kept = file_document(old_file, "emergency_contacts", by=assistant, title="紧急联系人 2007")
    assert [end_year(due), end_year(later), end_year(kept)] == [closed + 10, closed + 30, None]
    assert [d.pk for d in documents_due(today())] == [due.pk]


def test_a_destroyed_document_keeps_its_last_year_and_leaves_the_due_list(
    assistant, manager, finance, old_file, due
):
    destroyed(assistant, manager, finance)
    assert end_year(due) == old_file.closed_on.year + 10
    assert list(documents_due(today().replace(year=today().year + 50))) == []


def test_the_migration_stores_the_last_year_of_the_documents_filed_before_it(
    assistant, old_file, due
):
    migration = importlib.import_module("archives.migrations.0016_document_retention_end_year")
    closed = old_file.closed_on.year
    lease = file_document(old_file, "lease", by=assistant)
    report = file_document(old_file, "inspection_report", by=assistant)
    longer = file_document(old_file, "emergency_contacts", by=assistant, retention_years=30)
    open_lease = file_document(tenant_file(by=assistant), "lease", by=assistant)
    Document.objects.update(retention_end_year=1)  # whatever the column held before
    migration.fill_retention_end(apps, None)
    assert dict(Document.objects.values_list("pk", "retention_end_year")) == {
        due.pk: closed + 10,
        lease.pk: closed + 30,
        report.pk: None,
        longer.pk: closed + 30,
        open_lease.pk: None,
    }


def test_what_is_due_is_read_on_the_index_of_the_last_year(due):
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A test table of a few rows is read whole whatever its indexes: the question
            # is whether the index can serve the query.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        plan = documents_due(today()).explain()
    assert "document_retention_end" in plan


# --- holds ---------------------------------------------------------------------------------


def test_a_held_document_is_off_the_list_until_its_holds_are_lifted(assistant, manager, due):
    dispute = hold_place(by=manager, document=due, reason="dispute", note="押金纠纷 (2026)民初12号")
    audit = hold_place(by=manager, document=due, reason="audit", note="2026年度审计")
    other = file_document(due.file, "emergency_contacts", by=assistant, title="另一份")
    assert listed(drawn(assistant)) == [(other.pk, None)]
    hold_lift(by=manager, hold=dispute, note="已调解结案")
    assert documents_due(today()).filter(pk=due.pk).exists() is False  # the audit still holds
    hold_lift(by=manager, hold=audit, note="审计完成")
    assert listed(drawn(assistant)) == [(due.pk, None)]
    # Lifting keeps the record of each hold.
    assert list(
        Hold.objects.filter(document=due).order_by("pk").values_list("reason", "lift_note")
    ) == [("dispute", "已调解结案"), ("audit", "审计完成")]
    assert refusal(lambda: hold_lift(by=manager, hold=audit, note="again")) == (
        "This hold was lifted already."
    )


def test_only_the_manager_places_and_lifts_holds(assistant, due):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        hold_place(by=assistant, document=due, reason="dispute", note="x")


def test_a_hold_placed_after_drawing_stops_the_approval(assistant, manager, due):
    made = drawn(assistant)
    hold_place(by=manager, document=due, reason="litigation", note="诉讼中")
    assert refusal(lambda: destruction_approve(by=manager, destruction_list=made)).startswith(
        "Lines of this list are under a hold"
    )


# --- approvals -------------------------------------------------------------------------------


def test_two_different_people_approve_then_the_destruction_is_recorded(
    assistant, manager, finance, due
):
    made = drawn(assistant)
    made = destruction_approve(by=manager, destruction_list=made)
    assert (made.state, made.manager_approved_by) == (ListState.HALF_APPROVED, manager)
    made = destruction_review(by=finance, destruction_list=made)
    assert (made.state, made.reviewer_approved_by) == (ListState.APPROVED, finance)
    made = destruction_record(
        by=assistant,
        destruction_list=made,
        method="shredding",
        destroyed_on=today(),
        witness="王监销",
        witness_unit="物业公司综合部",
    )
    assert (made.state, made.witness, made.destroyed_by) == (
        ListState.DESTROYED,
        "王监销",
        assistant,
    )
    # The document stays as a row, marked destroyed; it is never listed again.
    due.refresh_from_db()
    assert due.destroyed_on == today()
    assert Document.objects.filter(pk=due.pk).count() == 1
    assert documents_due(today()).filter(pk=due.pk).exists() is False


def test_nobody_approves_their_own_list(make_user, manager, due):
    desk_and_manager = make_user("both", Role.ASSISTANT, Role.MANAGER)
    made = drawn(desk_and_manager)
    assert refusal(lambda: destruction_approve(by=desk_and_manager, destruction_list=made)) == (
        "Nobody approves a list they drew up themselves."
    )
    assert (
        refusal(lambda: destruction_reject(by=desk_and_manager, destruction_list=made, reason="x"))
        == "Nobody decides on a list they drew up themselves."
    )


def test_the_same_person_cannot_give_both_approvals(make_user, assistant, due):
    manager_and_finance = make_user("both", Role.MANAGER, Role.FINANCE)
    made = drawn(assistant)
    destruction_approve(by=manager_and_finance, destruction_list=made)
    assert refusal(lambda: destruction_review(by=manager_and_finance, destruction_list=made)) == (
        "The two approvals must come from two different people."
    )
    assert refusal(lambda: destruction_approve(by=manager_and_finance, destruction_list=made)) == (
        "This approval was given already."
    )
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionList.objects.filter(pk=made.pk).update(reviewer_approved_by=manager_and_finance)


def test_the_witness_is_required_and_only_an_approved_list_is_destroyed(
    assistant, manager, finance, due
):
    made = drawn(assistant)
    destruction_approve(by=manager, destruction_list=made)

    def record(witness="王监销"):
        return destruction_record(
            by=assistant,
            destruction_list=made,
            method="pulping",
            destroyed_on=today(),
            witness=witness,
        )

    assert refusal(record) == "Only a list approved by both approvers can be destroyed."
    destruction_review(by=finance, destruction_list=made)
    with pytest.raises(RuleError) as refused:
        record(witness="  ")
    assert (refused.value.field, refused.value.messages) == (
        "witness",
        ["Name the witness (监销人)."],
    )
    made.refresh_from_db()
    assert (made.state, made.witness) == (ListState.APPROVED, "")


def test_a_rejected_list_frees_its_lines_for_a_later_one(assistant, manager, due):
    made = drawn(assistant)
    destruction_reject(by=manager, destruction_list=made, reason="需再鉴定")
    assert listed(drawn(assistant)) == [(due.pk, None)]


# --- the register (销毁清册) is kept for ever -------------------------------------------------


def test_the_register_cannot_be_edited_nor_deleted(assistant, manager, finance, due):
    made = destroyed(assistant, manager, finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionList.objects.filter(pk=made.pk).update(witness="别人")
    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionList.objects.filter(pk=made.pk).update(state=ListState.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        DestructionItem.objects.filter(list=made).update(title="改过")
    with pytest.raises(RecordIsPermanent):
        made.items.get().delete()
    with pytest.raises(RecordIsPermanent):
        made.delete()
    made.refresh_from_db()
    assert (made.witness, made.items.get().title) == ("王监销", "紧急联系人 2005")


# --- the pages ---------------------------------------------------------------------------


def test_the_desk_draws_a_list_from_the_due_page(assistant, due, client_as):
    client = client_as(assistant)
    page = client.get(reverse("archives:retention_due"))
    assert [row.record.pk for row in page.context["documents"].page.object_list] == [due.pk]
    answer = client.post(reverse("archives:destruction_draw"), {"review_due": today().isoformat()})
    made = DestructionList.objects.get()
    assert answer.url == made.get_absolute_url()


def test_recording_without_a_witness_shows_the_form_again(
    assistant, manager, finance, due, client_as
):
    made = approved(assistant, manager, finance)
    answer = client_as(assistant).post(
        reverse("archives:destruction_record", args=[made.pk]),
        {"method": "shredding", "destroyed_on": today().isoformat(), "witness": ""},
    )
    assert answer.status_code == 400
    assert answer.context["destroy_form"].errors["witness"] == ["This field is required."]
    made.refresh_from_db()
    assert made.state == ListState.APPROVED


def test_the_register_prints_what_when_how_who_approved_and_witnessed(
    assistant, manager, finance, due, auditor, client_as
):
    manager.first_name, manager.last_name = "主任", "李"
    manager.save()
    made = destroyed(assistant, manager, finance)
    client = client_as(auditor)
    page = client.get(reverse("archives:destruction_register"))
    assert [row.record.reference for row in page.context["table"].page.object_list] == [
        due.file.number
    ]
    pdf = client.get(reverse("archives:destruction_register_pdf"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for shown in (made.number, due.file.number, "紧急联系人 2005", "碎纸", "李主任", "王监销"):
        assert shown in text


def test_the_due_page_costs_the_same_for_one_document_or_three(
    assistant, old_file, flat_queries, manager
):
    def add_due():
        file_document(old_file, "emergency_contacts", by=assistant)

    one, three = flat_queries(reverse("archives:retention_due"), add_due, queries=9, user=manager)
    assert (
        one.context["documents"].paginator.count,
        three.context["documents"].paginator.count,
    ) == (
        1,
        3,
    )


def test_the_list_page_costs_the_same_for_one_line_or_three(
    assistant, old_file, due, flat_queries, manager
):
    made = drawn(assistant)

    def add_line():
        document = file_document(old_file, "emergency_contacts", by=assistant)
        DestructionItem.objects.create(
            list=made,
            document=document,
            reference=old_file.number,
            title=document.title,
            kind="紧急联系人",
            dated_on=document.dated_on,
            pages=1,
            retention_years=10,
            closed_year=old_file.closed_on.year,
            expired_on=date(old_file.closed_on.year + 10, 12, 31),
        )

    one, three = flat_queries(made.get_absolute_url(), add_line, queries=10, user=manager)
    assert (one.context["page"].paginator.count, three.context["page"].paginator.count) == (2, 4)
