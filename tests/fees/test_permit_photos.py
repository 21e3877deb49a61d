"""A permit's photo: an image because it decodes as one, stored re-encoded under a name the
server makes, and served only as a download to the roles that may see permits."""

import io
import random
import re
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from archives.models import AccessKind, AccessLog
from config.demo import make_resident_id
from fees.models import Permit, Receipt
from fees.services.permits import WorkerInput, permit_issue
from tests.factories.archives import ContractorFactory, UnitFactory
from tests.images import MULTIPART, huge_png, jpeg_bytes, multipart, png_bytes, text_info

pytestmark = pytest.mark.django_db

_rng = random.Random(2026)

ISSUE_URL = reverse("fees:permit_issue")
NOT_AN_IMAGE = "The file is not a JPEG or PNG image."
TOO_MANY_PIXELS = "The image has more than 40,000,000 pixels in all; make it smaller."
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width="
    b'"10" height="10"/></svg>'
)
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def contractor():
    return ContractorFactory(name="金辉装饰工程有限公司")


@pytest.fixture
def unit():
    return UnitFactory(code="B-2-15")


def stored_files(media) -> list[str]:
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def form_fields(contractor, unit) -> dict[str, str]:
    """The issue form for one worker, without the photo."""
    today = timezone.localdate()
    return {
        "request_key": str(uuid.uuid4()),
        "contractor": f"{contractor.name} #{contractor.pk}",
        "unit": unit.code,
        "valid_from": today.isoformat(),
        "valid_to": (today + timedelta(days=30)).isoformat(),
        "method": "cash",
        "reference": "",
        "workers-TOTAL_FORMS": "10",
        "workers-INITIAL_FORMS": "0",
        "workers-MIN_NUM_FORMS": "0",
        "workers-MAX_NUM_FORMS": "10",
        "workers-0-name": "张三",
        "workers-0-id_doc_type": "resident_id",
        "workers-0-id_number": make_resident_id(_rng),
        "workers-0-phone": "13800138000",
    }


def post_photos(client, contractor, unit, *photos: tuple[bytes, bytes]):
    """Post the issue form with each (raw file name, content) under worker 1's photo."""
    files = [("workers-0-photo", name, content, "image/png") for name, content in photos]
    body = multipart(form_fields(contractor, unit), files)
    return client.post(ISSUE_URL, data=body, content_type=MULTIPART)


def photo_errors(response) -> list[str]:
    assert response.status_code == 200
    return response.context["formset"].forms[0].errors.get("photo", [])


def refused(response, media, message: str) -> None:
    assert photo_errors(response) == [message]
    assert (Receipt.objects.count(), Permit.objects.count()) == (0, 0)
    assert stored_files(media) == []


def stored_photo(response, media) -> tuple[Permit, bytes]:
    assert response.status_code == 302, photo_errors(response)
    permit = Permit.objects.get()
    year = timezone.localdate().year
    assert re.fullmatch(rf"permits/{year}/[0-9a-f]{{32}}\.jpg", permit.photo.name)
    assert stored_files(media) == [permit.photo.name]
    return permit, (media / permit.photo.name).read_bytes()


# --- refused ---------------------------------------------------------------------------------


def test_a_png_signature_followed_by_html_is_refused(assistant, client, contractor, unit, media):
    client.force_login(assistant)
    polyglot = b"\x89PNG\r\n\x1a\n" + HTML
    refused(post_photos(client, contractor, unit, (b"me.png", polyglot)), media, NOT_AN_IMAGE)


def test_an_svg_with_a_script_is_refused(assistant, client, contractor, unit, media):
    client.force_login(assistant)
    refused(post_photos(client, contractor, unit, (b"me.svg", SVG)), media, NOT_AN_IMAGE)


@pytest.mark.parametrize(
    "width, height",
    [
        (30000, 30000),  # beyond Pillow's own bomb limit: refused while reading the header
        (8000, 6000),  # 48 megapixels: under Pillow's limit, over ours
    ],
)
def test_a_decompression_bomb_is_refused_from_its_header(
    assistant, client, contractor, unit, media, width, height
):
    client.force_login(assistant)
    bomb = huge_png(width, height)
    assert len(bomb) < 200
    refused(post_photos(client, contractor, unit, (b"me.png", bomb)), media, TOO_MANY_PIXELS)


def test_an_empty_file_is_refused(assistant, client, contractor, unit, media):
    client.force_login(assistant)
    response = post_photos(client, contractor, unit, (b"me.png", b""))
    refused(response, media, "The submitted file is empty.")


def test_a_file_over_the_byte_limit_is_refused(
    assistant, client, contractor, unit, media, settings
):
    settings.UPLOAD_MAX_BYTES = 1000
    client.force_login(assistant)
    big = png_bytes() + b"\x00" * (1500 - len(png_bytes()))
    response = post_photos(client, contractor, unit, (b"me.png", big))
    refused(response, media, "The file is 1.5\xa0KB; at most 1000\xa0bytes is accepted.")


def test_several_files_in_the_one_photo_field_are_refused(
    assistant, client, contractor, unit, media
):
    client.force_login(assistant)
    response = post_photos(
        client, contractor, unit, (b"a.png", png_bytes()), (b"b.jpg", jpeg_bytes())
    )
    refused(response, media, "Choose one file only.")


def test_a_truncated_image_is_refused(assistant, client, contractor, unit, media):
    client.force_login(assistant)
    truncated = jpeg_bytes(size=(400, 300))[:600]
    refused(post_photos(client, contractor, unit, (b"me.jpg", truncated)), media, NOT_AN_IMAGE)


def test_the_service_refuses_what_the_form_would(assistant, contractor, unit, media):
    """Whoever calls the service (a script, the shell) meets the same check."""
    polyglot = SimpleUploadedFile("me.png", b"\x89PNG\r\n\x1a\n" + HTML)
    worker = WorkerInput("张三", "resident_id", make_resident_id(_rng), "13800138000", polyglot)
    with pytest.raises(ValidationError) as caught:
        permit_issue(
            by=assistant,
            contractor=contractor,
            unit=unit,
            workers=[worker],
            valid_from=timezone.localdate(),
            valid_to=timezone.localdate() + timedelta(days=30),
            method="cash",
        )
    assert caught.value.messages == [f"Worker 1: photo: {NOT_AN_IMAGE}"]
    assert stored_files(media) == []


# --- accepted, re-encoded, renamed ---------------------------------------------------------


def test_a_png_is_stored_as_a_fresh_jpeg_without_its_metadata_or_tail(
    assistant, client, contractor, unit, media
):
    client.force_login(assistant)
    # A valid PNG with a text chunk, then HTML after the image's end: a real polyglot.
    original = png_bytes(pnginfo=text_info("Comment", "<script>x</script>")) + HTML
    assert Image.open(io.BytesIO(original)).size == (40, 30)

    _permit, content = stored_photo(
        post_photos(client, contractor, unit, (b"me.png", original)), media
    )

    assert content != original
    assert b"<script" not in content and b"<html" not in content
    assert content.endswith(b"\xff\xd9")  # the JPEG's own end: nothing rides after it
    image = Image.open(io.BytesIO(content))
    assert (image.format, image.size, image.getpixel((0, 0))) == ("JPEG", (40, 30), (200, 0, 0))


def test_a_jpeg_is_re_encoded_turned_upright_and_stripped_of_exif(
    assistant, client, contractor, unit, media
):
    client.force_login(assistant)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was held sideways
    exif[0x010F] = "Desk camera <script>"  # Make
    original = jpeg_bytes(size=(60, 80), exif=exif.tobytes()) + b"PK\x03\x04hidden.zip"

    _permit, content = stored_photo(
        post_photos(client, contractor, unit, (b"IMG_0001.JPG", original)), media
    )

    assert content != original
    assert b"hidden.zip" not in content and b"Desk camera" not in content
    image = Image.open(io.BytesIO(content))
    assert (image.format, image.size, dict(image.getexif())) == ("JPEG", (80, 60), {})


def test_a_transparent_png_is_flattened_on_white_and_a_large_one_scaled_down(
    assistant, client, contractor, unit, media
):
    client.force_login(assistant)
    original = png_bytes(size=(1600, 1200), colour=(0, 0, 0, 0))

    _permit, content = stored_photo(
        post_photos(client, contractor, unit, (b"me.png", original)), media
    )

    image = Image.open(io.BytesIO(content))
    assert (image.size, image.getpixel((10, 10))) == ((800, 600), (255, 255, 255))


@pytest.mark.parametrize(
    "filename",
    [
        b"../../../static/evil.html",
        b"..\\..\\config\\settings.py",
        b"me.png\x00.html",
        b"\x00.png",
    ],
)
def test_the_client_s_file_name_is_never_used(assistant, client, contractor, unit, media, filename):
    client.force_login(assistant)
    response = post_photos(client, contractor, unit, (filename, png_bytes()))
    # Stored inside the media folder, under the server's name, and nowhere else.
    permit, _content = stored_photo(response, media)
    assert permit.photo.path.startswith(str(media))


def test_a_file_named_only_a_nul_never_arrives(assistant, client, contractor, unit, media):
    """Django's parser drops a file part whose name has nothing printable left: the form
    sees no photo, and the permit is issued without one."""
    client.force_login(assistant)
    response = post_photos(client, contractor, unit, (b"\x00", png_bytes()))
    assert response.status_code == 302
    assert (Permit.objects.get().photo.name, stored_files(media)) == ("", [])


# --- served ----------------------------------------------------------------------------------


def test_the_photo_is_served_as_a_download_to_roles_that_may_see_permits(
    assistant, department, auditor, client, contractor, unit, media
):
    client.force_login(assistant)
    permit, content = stored_photo(
        post_photos(client, contractor, unit, (b"me.png", png_bytes())), media
    )
    url = reverse("fees:permit_photo", args=[permit.pk])
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(department)
    assert client.get(url).status_code == 403

    client.force_login(auditor)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'attachment; filename="permit-{permit.number}.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"].split(", ")
    assert b"".join(response.streaming_content) == content
    # Only the download that was answered is in the access log.
    assert list(AccessLog.objects.values_list("user", "kind", "object_id", "subject", "page")) == [
        (auditor.pk, AccessKind.PHOTO, permit.pk, str(permit), url)
    ]
