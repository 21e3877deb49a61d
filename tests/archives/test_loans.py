"""Loans (借阅): a document or a centre record lent to a named borrower (exactly one item,
one open loan each), view-only types refused (文书档案只阅不借), the overdue list with fixed
dates and on the home panel, the return with its condition and who received it, and the
open loans of a person leaving the centre."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from archives.models import CentreRecord, Document, Loan, RecordKind, ReturnCondition
from archives.panels import overdue_loans_panel
from archives.selectors import open_loans_of, overdue_loans
from archives.services import loan_lend, loan_return
from tests.conftest import ensure_fee_catalogue
from tests.factories.archives import CentreRecordFactory, file_document, tenant_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue():
    ensure_fee_catalogue()


@pytest.fixture
def made(assistant):
    return tenant_file(by=assistant)


def lend(item, by, borrower, *, lent=date(2020, 3, 1), due=date(2020, 3, 10)):
    return loan_lend(by=by, item=item, borrower=borrower, due_on=due, today=lent)


def test_a_document_is_lent_once_until_it_comes_back(made, assistant, department):
    form = file_document(made, "move_in_form", by=assistant)
    loan = lend(form, assistant, department)
    assert (loan.document, loan.record, loan.borrower, loan.lent_by, loan.due_on) == (
        form,
        None,
        department,
        assistant,
        date(2020, 3, 10),
    )
    with pytest.raises(ValidationError) as twice:
        lend(form, assistant, assistant)
    assert twice.value.messages == ["This item is out on loan already: it must come back first."]
    loan_return(by=assistant, loan=loan, condition="intact", today=date(2020, 3, 8))
    again = lend(form, assistant, assistant, lent=date(2020, 3, 9), due=date(2020, 3, 12))
    assert Loan.objects.filter(document=form).count() == 2
    assert again.is_open is True


def test_view_only_types_are_never_lent(made, assistant, department, client):
    lease = file_document(made, "lease", by=assistant)
    with pytest.raises(ValidationError) as refused:
        lend(lease, assistant, department)
    assert refused.value.messages == [
        "Lease is read at the centre and never lent (文书档案只阅不借)."
    ]
    client.force_login(assistant)
    url = reverse("archives:document_lend", args=[lease.pk])
    shown = client.get(url)
    assert (
        shown.context["refusal"] == "Lease is read at the centre and never lent (文书档案只阅不借)."
    )
    posted = client.post(url, {"borrower": department.pk, "due_on": "2099-01-01"})
    assert posted.status_code == 200
    assert Loan.objects.count() == 0


def test_a_centre_record_is_lent_by_its_kind(assistant, department):
    letter = CentreRecordFactory(kind=RecordKind.LETTER_IN)
    report = CentreRecordFactory(kind=RecordKind.REPORT)
    with pytest.raises(ValidationError) as refused:
        lend(letter, assistant, department)
    assert refused.value.messages == [
        "Letter in is read at the centre and never lent (文书档案只阅不借)."
    ]
    loan = lend(report, assistant, department)
    assert (loan.record, loan.document) == (report, None)


def test_a_destroyed_document_or_record_is_neither_lent_nor_offered(
    made, assistant, department, client
):
    form = file_document(made, "move_in_form", by=assistant)
    report = CentreRecordFactory(kind=RecordKind.REPORT)
    Document.objects.filter(pk=form.pk).update(destroyed_on=date(2020, 2, 1))
    CentreRecord.objects.filter(pk=report.pk).update(destroyed_on=date(2020, 2, 1))
    form.refresh_from_db()
    report.refresh_from_db()
    for item in (form, report):
        with pytest.raises(ValidationError) as refused:
            lend(item, assistant, department)
        assert refused.value.messages == [
            "This was destroyed on 2020-02-01: there is nothing left to lend."
        ]
    client.force_login(assistant)
    url = reverse("archives:document_lend", args=[form.pk])
    shown = client.get(url)
    assert shown.context["refusal"] == (
        "This was destroyed on 2020-02-01: there is nothing left to lend."
    )
    posted = client.post(url, {"borrower": department.pk, "due_on": "2099-01-01"})
    assert posted.status_code == 200
    assert Loan.objects.count() == 0
    # Neither the file's page nor the record's offers to lend them.
    file_page = client.get(made.get_absolute_url()).content.decode()
    record_page = client.get(report.get_absolute_url()).content.decode()
    assert url not in file_page
    assert reverse("archives:record_lend", args=[report.pk]) not in record_page
    # A document still kept is offered.
    kept = file_document(made, "refund_form", by=assistant)
    assert (
        reverse("archives:document_lend", args=[kept.pk])
        in client.get(made.get_absolute_url()).content.decode()
    )


def test_a_loan_points_to_exactly_one_item(made, assistant, department):
    form = file_document(made, "move_in_form", by=assistant)
    report = CentreRecordFactory(kind=RecordKind.REPORT)
    for items in ({"document": form, "record": report}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Loan.objects.create(
                **items,
                borrower=department,
                lent_by=assistant,
                lent_on=date(2020, 3, 1),
                due_on=date(2020, 3, 2),
            )


def test_the_due_date_is_within_the_loan_period(made, assistant, department):
    form = file_document(made, "move_in_form", by=assistant)
    for due in (date(2020, 2, 29), date(2020, 6, 1)):
        with pytest.raises(ValidationError) as refused:
            lend(form, assistant, department, due=due)
        assert refused.value.messages == ["The due date is from today to 90 days ahead."]


def test_overdue_loans_with_fixed_dates(made, assistant, department, manager, client):
    late = lend(file_document(made, "move_in_form", by=assistant), assistant, department)
    later = lend(
        file_document(made, "tenant_register", by=assistant),
        assistant,
        department,
        due=date(2020, 3, 20),
    )
    returned = lend(file_document(made, "refund_form", by=assistant), assistant, department)
    loan_return(by=assistant, loan=returned, condition="intact", today=date(2020, 3, 5))
    assert list(overdue_loans(date(2020, 3, 10))) == []
    assert list(overdue_loans(date(2020, 3, 11))) == [late]
    assert list(overdue_loans(date(2020, 3, 21))) == [late, later]
    panel = overdue_loans_panel(manager, date(2020, 3, 15))
    assert (panel.count, [item[1] for item in panel.items]) == (1, [late.get_absolute_url()])
    client.force_login(manager)
    page = client.get(reverse("archives:loan_overdue"))
    # Both are overdue today (their due dates are in 2020).
    assert [r.pk for r in page.context["table"].page.object_list.data] == [late.pk, later.pk]


def test_the_return_records_its_condition_and_who_received_it(made, assistant, manager, client):
    form = file_document(made, "move_in_form", by=assistant)
    loan = lend(form, assistant, manager)
    client.force_login(assistant)
    url = reverse("archives:loan_return", args=[loan.pk])
    damaged_silently = client.post(url, {"condition": "damaged", "condition_note": ""})
    assert damaged_silently.context["form"].errors == {"condition_note": ["Describe the damage."]}
    loan.refresh_from_db()
    assert loan.is_open is True
    done = client.post(url, {"condition": "damaged", "condition_note": "第2页撕裂"})
    assert done.url == loan.get_absolute_url()
    loan.refresh_from_db()
    assert (loan.condition, loan.condition_note, loan.received_by, loan.is_open) == (
        ReturnCondition.DAMAGED,
        "第2页撕裂",
        assistant,
        False,
    )
    with pytest.raises(ValidationError) as twice:
        loan_return(by=assistant, loan=loan, condition="intact")
    assert twice.value.messages == ["This loan was returned already."]


def test_the_open_loans_of_a_person_leaving(made, assistant, department, manager, client):
    mine = lend(file_document(made, "move_in_form", by=assistant), assistant, department)
    back = lend(file_document(made, "refund_form", by=assistant), assistant, department)
    loan_return(by=assistant, loan=back, condition="intact", today=date(2020, 3, 2))
    lend(file_document(made, "tenant_register", by=assistant), assistant, manager)
    assert list(open_loans_of(department)) == [mine]
    client.force_login(manager)
    page = client.get(reverse("archives:loans_leaving"), {"person": department.pk})
    assert page.context["loans"] == [mine]
    assert "holds 1 open loan" in page.content.decode()


def test_the_loan_list_keeps_its_queries_flat(made, assistant, department, manager, flat_queries):
    codes = iter(["move_in_form", "tenant_register", "refund_form"])
    flat_queries(
        reverse("archives:loan_list"),
        lambda: lend(file_document(made, next(codes), by=assistant), assistant, department),
        queries=9,
        user=manager,
    )
