"""Volumes (案卷): opening them numbered per year, filing records of their year only, closing
them, the catalogue (卷内目录) on the page and in print."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from archives.models import CentreRecord, Retention, Volume
from archives.selectors.records import volume_catalogue
from archives.services.records import record_file, volume_change, volume_close, volume_open
from tests.factories.archives import CentreRecordFactory, VolumeFactory

pytestmark = pytest.mark.django_db


def test_volumes_are_numbered_per_year(assistant):
    opened = [
        volume_open(by=assistant, year=2026, title="收文", retention=Retention.YEARS_30),
        volume_open(by=assistant, year=2026, title="发文", retention=Retention.YEARS_30),
        volume_open(by=assistant, year=2025, title="收文", retention=Retention.YEARS_30),
    ]
    assert [v.code for v in opened] == ["2026-001", "2026-002", "2025-001"]
    assert opened[0].history.get().history_user == assistant


def test_filing_into_a_volume_of_another_year_is_refused(assistant):
    record = CentreRecordFactory(date=date(2026, 3, 2))
    volume = VolumeFactory(year=2025)
    with pytest.raises(ValidationError) as refused:
        record_file(record=record, volume=volume, by=assistant)
    assert refused.value.messages == [
        f"A record of 2026 is filed into a volume of 2026: volume {volume.code} is of 2025."
    ]
    record.refresh_from_db()
    assert record.volume is None
    assert record.history.count() == 1  # its creation only


def test_filing_on_the_record_page_puts_the_refusal_next_to_the_field(client_as, assistant):
    record = CentreRecordFactory(date=date(2026, 3, 2))
    volume = VolumeFactory(year=2025)
    client = client_as(assistant)
    response = client.post(reverse("archives:record_file", args=[record.pk]), {"volume": volume.pk})
    assert response.status_code == 400
    assert response.context["file_form"].errors == {
        "volume": ["Choose a volume of 2026 (this one is of 2025)."]
    }
    record.refresh_from_db()
    assert record.volume is None


def test_filing_into_a_volume_of_its_year(client_as, assistant):
    record = CentreRecordFactory(date=date(2026, 3, 2))
    volume = VolumeFactory(year=2026)
    response = client_as(assistant).post(
        reverse("archives:record_file", args=[record.pk]), {"volume": volume.pk}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.volume == volume
    latest = record.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (
        f"filed: {volume.code}",
        assistant,
    )


def test_a_closed_volume_takes_nothing_more_and_keeps_what_it_holds(assistant):
    volume = VolumeFactory(year=2026)
    kept = CentreRecordFactory(volume=volume)
    volume_close(volume=volume, by=assistant, on=date(2026, 12, 31))
    with pytest.raises(ValidationError, match="was closed on 2026-12-31"):
        record_file(record=CentreRecordFactory(), volume=volume, by=assistant)
    with pytest.raises(ValidationError, match="closed volume"):
        record_file(record=kept, volume=VolumeFactory(year=2026), by=assistant)
    with pytest.raises(ValidationError, match="closed already"):
        volume_close(volume=volume, by=assistant)
    kept.refresh_from_db()
    assert kept.volume == volume


def test_an_empty_volume_is_not_closed(assistant):
    with pytest.raises(ValidationError, match="empty volume"):
        volume_close(volume=VolumeFactory(), by=assistant)


def test_location_changes_are_kept(manager):
    volume = VolumeFactory(cabinet="档案柜1", box="盒1")
    volume_change(
        volume=volume,
        by=manager,
        title=volume.title,
        retention="permanent",
        cabinet="档案柜2",
        box="盒9",
    )
    volume.refresh_from_db()
    assert volume.location == "档案柜2 / 盒9"
    assert [h.box for h in volume.history.order_by("history_date")] == ["盒1", "盒9"]


@pytest.mark.parametrize("role", ["auditor", "finance", "department"])
def test_only_keepers_open_and_close(request, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        volume_open(by=user, year=2026, title="收文", retention=Retention.YEARS_30)
    volume = VolumeFactory()
    CentreRecordFactory(volume=volume)
    with pytest.raises(PermissionDenied):
        volume_close(volume=volume, by=user)
    assert Volume.objects.count() == 1


def catalogued_volume():
    volume = VolumeFactory(year=2026, title="2026年收发文", cabinet="档案柜3", box="盒2")
    CentreRecordFactory(
        volume=volume, date=date(2026, 5, 6), pages=1, title="关于消防检查的通知回函"
    )
    CentreRecordFactory(volume=volume, date=date(2026, 2, 1), pages=3, title="关于春节营业时间的函")
    CentreRecordFactory(volume=volume, date=date(2026, 4, 1), pages=2, title="一季度客户服务报告")
    CentreRecordFactory(date=date(2026, 4, 2), title="未归档的函")  # in no volume
    return volume


def test_the_catalogue_lists_the_records_by_date_with_their_pages():
    volume = catalogued_volume()
    rows = [(row.position, row.record.title, row.page_range) for row in volume_catalogue(volume)]
    assert rows == [
        (1, "关于春节营业时间的函", "1–3"),
        (2, "一季度客户服务报告", "4–5"),
        (3, "关于消防检查的通知回函", "6"),
    ]


def test_the_volume_page_shows_its_catalogue(client_as, auditor):
    volume = catalogued_volume()
    response = client_as(auditor).get(volume.get_absolute_url())
    assert response.status_code == 200
    assert [row.page_range for row in response.context["catalogue"]] == ["1–3", "4–5", "6"]
    assert response.context["pages"] == 6
    assert "未归档的函" not in response.content.decode()


def test_the_printed_catalogue_holds_every_record_of_the_volume(client_as, auditor):
    volume = catalogued_volume()
    response = client_as(auditor).get(reverse("archives:volume_catalogue_pdf", args=[volume.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert "卷内目录" in text
    assert "2026-001" in text or volume.code in text
    assert "档案柜3/盒2" in text
    for record in CentreRecord.objects.filter(volume=volume):
        assert record.title in text
        assert record.number in text
    assert "未归档的函" not in text
    assert "第1页/共1页" in text


def test_volume_list_queries_stay_flat(flat_queries, auditor):
    flat_queries(
        reverse("archives:volume_list"),
        lambda: CentreRecordFactory(volume=VolumeFactory()),
        queries=10,
        user=auditor,
    )
