"""The pages of the centre's records: who may open what, the register form with its errors
next to the fields, the scan kept and served as an attachment, the register's list cost."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from archives.models import CentreRecord, RecordKind
from tests.factories.archives import CentreRecordFactory, NoticeDeliveryFactory, VolumeFactory

pytestmark = pytest.mark.django_db


def record_urls():
    volume = VolumeFactory()
    record = CentreRecordFactory(volume=volume)
    notice = NoticeDeliveryFactory().notice
    return {
        "record_list": reverse("archives:record_list"),
        "record_detail": reverse("archives:record_detail", args=[record.pk]),
        "notice_delivery": reverse("archives:notice_delivery", args=[notice.pk]),
        "volume_list": reverse("archives:volume_list"),
        "volume_detail": reverse("archives:volume_detail", args=[volume.pk]),
        "record_create": reverse("archives:record_create"),
        "volume_create": reverse("archives:volume_create"),
        "volume_update": reverse("archives:volume_update", args=[volume.pk]),
    }


READ = {"record_list", "record_detail", "notice_delivery", "volume_list", "volume_detail"}
WRITE = {"record_create", "volume_create", "volume_update"}
ALLOWED = {
    "assistant": READ | WRITE,
    "manager": READ | WRITE,
    "auditor": READ,
    "finance": set(),
    "department": set(),
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_who_may_open_which_page(login, role):
    client = login(role)
    urls = record_urls()
    answered = {name: client.get(url).status_code for name, url in urls.items()}
    assert answered == {name: 200 if name in ALLOWED[role] else 403 for name in urls}


def test_the_archives_index_leads_the_auditor_on_and_the_menu_links_the_register(login):
    client = login("assistant")
    page = client.get(reverse("archives:unit_list")).content.decode()
    assert reverse("archives:record_list") in page
    assert reverse("archives:volume_list") in page


def test_register_a_record_with_its_errors_next_to_the_fields(client_as, assistant):
    client = client_as(assistant)
    url = reverse("archives:record_create")
    other_year = VolumeFactory(year=2025)
    response = client.post(
        url,
        {
            "kind": RecordKind.LETTER_IN,
            "date": "2026-03-02",
            "title": "",
            "pages": "0",
            "volume": other_year.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title": ["This field is required."],
        "pages": ["Enter a whole number from 1 to 9999 in plain digits."],
    }
    response = client.post(
        url,
        {
            "kind": RecordKind.LETTER_IN,
            "date": "2026-03-02",
            "title": "关于外摆的函",
            "pages": "2",
            "volume": other_year.pk,
        },
    )
    assert response.context["form"].errors == {
        "volume": ["Choose a volume of 2026 (this one is of 2025)."]
    }
    assert not CentreRecord.objects.exists()
    volume = VolumeFactory(year=2026)
    response = client.post(
        url,
        {
            "kind": RecordKind.LETTER_IN,
            "date": "2026-03-02",
            "title": "关于外摆的函",
            "correspondent": "区城管局",
            "pages": "2",
            "volume": volume.pk,
        },
    )
    record = CentreRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert (record.number, record.volume, record.correspondent) == (
        "收〔2026〕1号",
        volume,
        "区城管局",
    )


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_scan_is_kept_under_a_server_name_and_served_as_an_attachment(
    client_as, assistant, auditor, finance, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(assistant)
    response = client.post(
        reverse("archives:record_create"),
        {
            "kind": RecordKind.REPORT,
            "date": "2026-03-02",
            "title": "一季度报告",
            "pages": "1",
            "scan": SimpleUploadedFile("../../报告.png.html", png(), "image/png"),
        },
    )
    assert response.status_code == 302
    record = CentreRecord.objects.get()
    assert record.scan.name.startswith("archives/records/")
    assert record.scan.name.endswith(".png")
    assert len(record.scan_sha256) == 64
    url = reverse("archives:record_scan", args=[record.pk])
    download = client_as(auditor).get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment")
    assert client_as(finance).get(url).status_code == 403


def test_a_scan_that_is_no_image_is_refused_next_to_its_field(client_as, assistant):
    response = client_as(assistant).post(
        reverse("archives:record_create"),
        {
            "kind": RecordKind.REPORT,
            "date": "2026-03-02",
            "title": "一季度报告",
            "pages": "1",
            "scan": SimpleUploadedFile("报告.png", b"<html>not a picture</html>", "image/png"),
        },
    )
    assert list(response.context["form"].errors) == ["scan"]
    assert not CentreRecord.objects.exists()


def test_the_register_filters_by_kind_year_volume_and_text(client_as, auditor):
    volume = VolumeFactory(year=2026)
    letter = CentreRecordFactory(kind=RecordKind.LETTER_IN, title="关于外摆的函", volume=volume)
    CentreRecordFactory(kind=RecordKind.LETTER_OUT, title="关于停车的复函")
    old = CentreRecordFactory(kind=RecordKind.LETTER_IN, date=date(2025, 6, 1), title="旧函")
    client = client_as(auditor)
    url = reverse("archives:record_list")

    def listed(query):
        table = client.get(url, query).context["table"]
        return sorted(row.record.title for row in table.page.object_list)

    assert listed({"kind": "in"}) == sorted([letter.title, old.title])
    assert listed({"year": "2025"}) == [old.title]
    assert listed({"volume": volume.pk}) == [letter.title]
    assert listed({"q": "停车"}) == ["关于停车的复函"]


def test_the_register_list_queries_stay_flat(flat_queries, auditor):
    flat_queries(
        reverse("archives:record_list"),
        lambda: NoticeDeliveryFactory(
            notice=CentreRecordFactory(kind=RecordKind.NOTICE, volume=VolumeFactory())
        ),
        queries=11,
        user=auditor,
    )
