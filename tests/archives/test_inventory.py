"""The month-end inventory check (帐物相符): one run per month listing every tenant file and
every volume; each line marked present, missing or damaged; completion re-reads every
stored scan and reports a tampered one and a missing file; the result as a page and a PDF."""

import hashlib
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from archives.models import InventoryItem, Mark, RunState, ScanProblem
from archives.selectors.inventory import run_result
from archives.services.inventory import (
    inventory_complete,
    inventory_mark,
    inventory_mark_present,
    inventory_start,
)
from archives.services.records import record_register, volume_open
from config.validators import RuleError
from tests.factories.archives import file_document, tenant_file
from tests.images import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def this_month() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month


def scan(colour=(200, 0, 0, 255)) -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.png", png_bytes(colour=colour), "image/png")


def started(assistant, files: int = 3, volumes: int = 1):
    made = [tenant_file(by=assistant) for _ in range(files)]
    year = timezone.localdate().year
    shelves = [
        volume_open(by=assistant, year=year, title=f"收发文 {n}", retention="30y", cabinet="B柜")
        for n in range(volumes)
    ]
    run = inventory_start(by=assistant, year=year, month=timezone.localdate().month)
    return run, made, shelves


def line(run, tenant_file=None, volume=None) -> InventoryItem:
    if tenant_file is not None:
        return run.items.get(file=tenant_file)
    return run.items.get(volume=volume)


def test_a_run_lists_every_file_and_volume_and_counts_what_was_found(assistant):
    run, files, (volume,) = started(assistant)
    assert run.items.count() == 4
    assert line(run, files[0]).location == "A柜 / 1盒"
    assert line(run, volume=volume).reference == f"{volume.year}-001"
    inventory_mark(by=assistant, item=line(run, files[0]), mark=Mark.PRESENT)
    inventory_mark(by=assistant, item=line(run, files[1]), mark=Mark.MISSING, note="柜内未见")
    inventory_mark(by=assistant, item=line(run, files[2]), mark=Mark.DAMAGED, note="受潮")
    inventory_mark(by=assistant, item=line(run, volume=volume), mark=Mark.PRESENT)
    run = inventory_complete(by=assistant, run=run)
    result = run_result(run)
    assert run.state == RunState.COMPLETED
    assert result.counts == {"unmarked": 0, "present": 2, "missing": 1, "damaged": 1, "all": 4}
    assert [(i.reference, i.note) for i in result.missing] == [(files[1].number, "柜内未见")]
    assert [(i.reference, i.note) for i in result.damaged] == [(files[2].number, "受潮")]
    assert result.scan_problems == []


def test_one_run_per_month_and_none_for_a_month_to_come(assistant):
    year, month = this_month()
    inventory_start(by=assistant, year=year, month=month)
    with pytest.raises(RuleError) as refused:
        inventory_start(by=assistant, year=year, month=month)
    assert refused.value.messages == [
        f"The inventory check of {year}-{month:02d} was started already."
    ]
    later = (year + 1, 1) if month == 12 else (year, month + 1)
    with pytest.raises(RuleError) as refused:
        inventory_start(by=assistant, year=later[0], month=later[1])
    assert refused.value.messages == ["A month to come cannot be checked yet."]


def test_missing_or_damaged_says_what_and_a_run_completes_only_when_all_is_marked(assistant):
    run, files, _volumes = started(assistant, files=2, volumes=0)
    with pytest.raises(RuleError) as refused:
        inventory_mark(by=assistant, item=line(run, files[0]), mark=Mark.DAMAGED, note=" ")
    assert (refused.value.field, refused.value.messages) == (
        "note",
        ["Say what is missing or damaged, and what was done."],
    )
    inventory_mark(by=assistant, item=line(run, files[0]), mark=Mark.PRESENT)
    with pytest.raises(RuleError) as refused:
        inventory_complete(by=assistant, run=run)
    assert refused.value.messages == [
        "1 lines are not marked yet: mark every file and volume first."
    ]
    assert (
        inventory_mark_present(by=assistant, run=run, item_ids=[i.pk for i in run.items.all()]) == 1
    )
    run = inventory_complete(by=assistant, run=run)
    with pytest.raises(RuleError) as refused:
        inventory_mark(by=assistant, item=line(run, files[0]), mark=Mark.MISSING, note="x")
    assert refused.value.messages == [
        "This inventory check is completed: its lines no longer change."
    ]


def test_completion_reports_a_tampered_scan_and_a_missing_file(assistant):
    made = tenant_file(by=assistant)
    kept = file_document(made, "lease", by=assistant, upload=scan())
    tampered = file_document(made, "id_copy", by=assistant, upload=scan((0, 0, 200, 255)))
    gone = file_document(made, "move_in_form", by=assistant, upload=scan((0, 200, 0, 255)))
    file_document(made, "emergency_contacts", by=assistant)  # no scan: nothing to read
    record = record_register(
        by=assistant, kind="report", date=date(2026, 1, 5), title="月度报告", scan=scan()
    )
    # Someone changed the stored bytes of one scan and removed another's file.
    with tampered.scan.storage.open(tampered.scan.name, "wb") as handle:
        handle.write(b"not what was uploaded")
    gone.scan.storage.delete(gone.scan.name)
    year, month = this_month()
    run = inventory_start(by=assistant, year=year, month=month)
    inventory_mark_present(
        by=assistant, run=run, item_ids=list(run.items.values_list("pk", flat=True))
    )
    run = inventory_complete(by=assistant, run=run)
    assert run.scans_checked == 4  # three documents' scans and the record's
    problems = list(ScanProblem.objects.filter(run=run).order_by("pk"))
    assert [(p.document_id, p.record_id, p.kind) for p in problems] == [
        (tampered.pk, None, "mismatch"),
        (gone.pk, None, "missing"),
    ]
    assert problems[0].expected_sha256 == tampered.scan_sha256
    assert problems[0].found_sha256 == hashlib.sha256(b"not what was uploaded").hexdigest()
    assert problems[0].reference == f"{made.number} · 身份证复印件"
    assert (problems[1].found_sha256, problems[1].stored_name) == ("", gone.scan.name)
    assert kept.pk not in {p.document_id for p in problems} and record.scan_sha256 != ""


# --- the pages ---------------------------------------------------------------------------


def test_the_desk_marks_a_line_and_lands_on_the_same_page(assistant, client_as):
    run, files, _volumes = started(assistant, files=2, volumes=0)
    client = client_as(assistant)
    page = f"{run.get_absolute_url()}?mark=unmarked"
    item = line(run, files[1])
    answer = client.post(
        reverse("archives:inventory_mark", args=[item.pk]),
        {"mark": "missing", "note": "借出未还", "next": page},
    )
    assert (answer.status_code, answer.url) == (302, page)
    item.refresh_from_db()
    assert (item.mark, item.note, item.marked_by) == ("missing", "借出未还", assistant)
    # Bad input: nothing changed, and the message says why.
    answer = client.post(reverse("archives:inventory_mark", args=[item.pk]), {"mark": "lost"})
    item.refresh_from_db()
    assert (answer.status_code, item.mark) == (302, "missing")
    answer = client.post(
        reverse("archives:inventory_mark_page", args=[run.pk]),
        {"items": [str(i.pk) for i in run.items.all()], "next": page},
    )
    assert answer.url == page
    assert dict(run.items.values_list("mark", "file__number")) == {
        "present": files[0].number,
        "missing": files[1].number,
    }


def test_the_run_page_costs_the_same_for_one_line_or_three(assistant, flat_queries):
    year, month = this_month()
    run = inventory_start(by=assistant, year=year, month=month)
    made = iter([tenant_file(by=assistant) for _ in range(3)])

    def add_line():
        tenant = next(made)
        InventoryItem.objects.create(run=run, file=tenant, reference=tenant.number)

    one, three = flat_queries(run.get_absolute_url(), add_line, queries=10, user=assistant)
    assert len(three.context["page"].object_list) == 3


def test_the_result_page_and_pdf_show_the_counts(assistant, manager, client_as):
    run, files, (volume,) = started(assistant, files=2)
    inventory_mark(by=assistant, item=line(run, files[0]), mark=Mark.MISSING, note="柜内未见")
    inventory_mark_present(
        by=assistant, run=run, item_ids=list(run.items.values_list("pk", flat=True))
    )
    inventory_complete(by=assistant, run=run)
    client = client_as(manager)
    page = client.get(reverse("archives:inventory_report", args=[run.pk]))
    assert [page.context["result"].counts[k] for k in ("present", "missing", "damaged")] == [
        2,
        1,
        0,
    ]
    pdf = client.get(reverse("archives:inventory_report_pdf", args=[run.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert pdf["Content-Type"] == "application/pdf"
    assert "缺失" in text and files[0].number in text and "柜内未见" in text


@pytest.mark.parametrize(
    "role, name, status",
    [
        ("finance", "archives:inventory_list", 403),
        ("department", "archives:inventory_list", 403),
        ("auditor", "archives:inventory_list", 200),
    ],
)
def test_who_reads_the_checks(role, name, status, login):
    assert login(role).get(reverse(name)).status_code == status


def test_the_manager_reads_but_does_not_start_a_check(manager, client_as):
    year, month = this_month()
    answer = client_as(manager).post(
        reverse("archives:inventory_start"), {"year": year, "month": month}
    )
    assert answer.status_code == 403
