"""The centre's settings (config.models.Centre): the accessor, the admin, the uploads."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from config.centre import current_centre
from config.models import Centre, validate_public_url, validate_telephone
from config.roles import Role
from config.uploads import clean_image
from tests.images import huge_png, png_bytes, text_info

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:config_centre_add")
LIST_URL = reverse("admin:config_centre_changelist")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CENTRE_NAME = "默认中心名称"
    settings.CENTRE_PUBLIC_URL = "https://default.example.cn"
    return settings.MEDIA_ROOT


def centre_post(**overrides) -> dict:
    data = {
        "name": "幸福路步行街客户服务中心",
        "address": "杭州市上城区幸福路88号",
        "telephone": "0571-8765 4321",
        "public_url": "https://desk.example-street.cn",
    }
    return {**data, **overrides}


def stored_files(media) -> list[str]:
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


# --- the accessor --------------------------------------------------------------------------


def test_without_a_row_the_defaults_are_read_and_no_row_is_made(client, assistant):
    centre = current_centre()

    assert (centre.pk, centre.name, centre.address, centre.telephone, centre.public_url) == (
        1,
        "默认中心名称",
        "",
        "",
        "https://default.example.cn",
    )
    assert (centre.logo_uri, centre.seal_uri) == ("", "")
    client.force_login(assistant)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "<title>" in page.content.decode() and "· 默认中心名称</title>" in page.content.decode()
    assert Centre.objects.count() == 0


def test_with_a_row_its_details_are_read(client, assistant):
    Centre.objects.create(
        name="幸福路步行街客户服务中心",
        address="杭州市上城区幸福路88号",
        telephone="0571-8765 4321",
        public_url="https://desk.example-street.cn",
    )

    centre = current_centre()

    assert (centre.name, centre.address, centre.telephone, centre.public_url) == (
        "幸福路步行街客户服务中心",
        "杭州市上城区幸福路88号",
        "0571-8765 4321",
        "https://desk.example-street.cn",
    )
    assert centre.public_link("/r/abc/") == "https://desk.example-street.cn/r/abc/"
    client.force_login(assistant)
    assert "幸福路步行街客户服务中心" in client.get(reverse("home")).content.decode()
    assert Centre.objects.count() == 1


def test_read_once_per_request(django_assert_num_queries):
    Centre.objects.create(name="一号中心", public_url="https://desk.example-street.cn")
    request = RequestFactory().get("/")

    with django_assert_num_queries(1):
        first = current_centre(request)
        second = current_centre(request)
    assert first is second
    # Without a request each call reads the row, so an edit shows at once everywhere.
    Centre.objects.filter(pk=1).update(name="二号中心")
    assert (current_centre(request).name, current_centre().name) == ("一号中心", "二号中心")


def test_public_link_is_empty_without_a_public_address(settings):
    settings.CENTRE_PUBLIC_URL = ""
    assert current_centre().public_link("/r/abc/") == ""


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["https://desk.example-street.cn", "https://desk.example-street.cn/", "http://127.0.0.1:8000"],
)
def test_public_addresses_accepted(value):
    validate_public_url(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("http://desk.example-street.cn", "not_https"),
        ("https://desk.example-street.cn/desk/", "not_origin"),
        ("https://desk.example-street.cn/?a=1", "not_origin"),
        ("https://user@desk.example-street.cn", "not_origin"),
        ("desk.example-street.cn", "invalid"),
        ("javascript:alert(1)", "invalid"),
    ],
)
def test_public_addresses_refused(value, code):
    with pytest.raises(ValidationError) as error:
        validate_public_url(value)
    assert error.value.code == code


@pytest.mark.parametrize("value", ["0571-8765 4321", "0571-87654321 转 8001", "(0571)87654321"])
def test_telephones_accepted(value):
    validate_telephone(value)


@pytest.mark.parametrize("value", ["8765", "call us", "0571-8765<b>", "１２３４５６"])
def test_telephones_refused(value):
    with pytest.raises(ValidationError):
        validate_telephone(value)


# --- the admin -----------------------------------------------------------------------------


def test_the_administrator_makes_the_one_row_and_cannot_add_a_second(client, administrator):
    client.force_login(administrator)

    assert client.get(LIST_URL).url == ADD_URL  # no row yet: the list opens the form
    form = client.get(ADD_URL)
    assert form.context["adminform"].form.initial["name"] == "默认中心名称"
    assert form.context["adminform"].form.initial["public_url"] == "https://default.example.cn"
    assert Centre.objects.count() == 0  # opening the form wrote nothing

    response = client.post(ADD_URL, centre_post())
    assert response.status_code == 302
    centre = Centre.objects.get()
    assert (centre.pk, centre.name, centre.telephone) == (
        1,
        "幸福路步行街客户服务中心",
        "0571-8765 4321",
    )

    change_url = reverse("admin:config_centre_change", args=[1])
    assert client.get(LIST_URL).url == change_url
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, centre_post(name="第二个中心")).status_code == 403
    assert Centre.objects.count() == 1


def test_the_administrator_changes_the_row_and_cannot_delete_it(client, administrator):
    Centre.objects.create(name="旧名称", public_url="https://desk.example-street.cn")
    client.force_login(administrator)
    change_url = reverse("admin:config_centre_change", args=[1])

    response = client.post(change_url, centre_post(name="新名称"))

    assert response.status_code == 302
    assert Centre.objects.get().name == "新名称"
    # The admin's header follows the row.
    assert client.get(change_url).context["site_header"] == "新名称"
    delete_url = reverse("admin:config_centre_delete", args=[1])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Centre.objects.count() == 1
    # The history records who changed it.
    assert Centre.history.first().history_user == administrator


def test_other_roles_cannot_change_the_centre(client, make_user):
    Centre.objects.create(name="中心", public_url="https://desk.example-street.cn")
    manager = make_user("boss", Role.MANAGER, is_staff=True)
    client.force_login(manager)
    change_url = reverse("admin:config_centre_change", args=[1])

    assert client.get(change_url).status_code == 403
    assert client.post(change_url, centre_post(name="改名")).status_code == 403
    assert Centre.objects.get().name == "中心"


def test_a_bad_public_address_is_refused_next_to_the_field(client, administrator):
    client.force_login(administrator)

    response = client.post(ADD_URL, centre_post(public_url="http://desk.example-street.cn"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {"public_url": ["The public address must start with https://."]}
    assert Centre.objects.count() == 0


# --- uploads -------------------------------------------------------------------------------


def test_a_png_header_followed_by_html_is_refused(client, administrator, media):
    client.force_login(administrator)
    fake = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"

    response = client.post(
        ADD_URL, centre_post(seal=SimpleUploadedFile("seal.png", fake, "image/png"))
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "seal": ["The file is not a JPEG or PNG image."]
    }
    assert Centre.objects.count() == 0
    assert stored_files(media) == []


TOO_MANY_PIXELS = "The image has more than 40,000,000 pixels in all; make it smaller."


@pytest.mark.parametrize(
    "size",
    [
        (20000, 20000),  # beyond Pillow's own bomb limit: refused while reading the header
        (8000, 6000),  # under Pillow's limit, over ours
    ],
)
def test_an_image_of_too_many_pixels_is_refused_before_decoding(client, administrator, media, size):
    client.force_login(administrator)
    bomb = huge_png(*size)
    assert len(bomb) < 1000

    response = client.post(
        ADD_URL, centre_post(logo=SimpleUploadedFile("logo.png", bomb, "image/png"))
    )

    assert response.context["adminform"].form.errors == {"logo": [TOO_MANY_PIXELS]}
    assert Centre.objects.count() == 0
    assert stored_files(media) == []


def test_a_file_too_large_is_refused(client, administrator, media):
    client.force_login(administrator)
    big = SimpleUploadedFile("seal.png", png_bytes() + b"\x00" * (2 * 1024 * 1024), "image/png")

    response = client.post(ADD_URL, centre_post(seal=big))

    assert response.context["adminform"].form.errors == {
        "seal": ["The file is 2.0\xa0MB; at most 2.0\xa0MB is accepted."]
    }
    assert stored_files(media) == []


def test_a_good_png_is_stored_re_encoded_under_a_server_made_name(client, administrator, media):
    client.force_login(administrator)
    # A text chunk and bytes after the image: neither may survive the re-encoding.
    original = png_bytes(pnginfo=text_info("Comment", "<script>x</script>")) + b"<html>tail"

    response = client.post(
        ADD_URL,
        centre_post(seal=SimpleUploadedFile("../../static/evil.html", original, "text/html")),
    )

    assert response.status_code == 302
    centre = Centre.objects.get()
    [stored] = stored_files(media)
    assert stored == centre.seal.name
    assert stored.startswith("centre/") and stored.endswith(".png")
    assert len(stored) == len("centre/") + 32 + len(".png")
    content = (media / stored).read_bytes()
    assert content != original
    assert b"<script>" not in content and b"<html>" not in content
    image = Image.open(io.BytesIO(content))
    assert (image.format, image.size, image.getpixel((0, 0))) == ("PNG", (40, 30), (200, 0, 0, 255))
    assert centre.seal_uri.startswith("data:image/png;base64,")


def test_a_jpeg_becomes_a_png_and_a_large_one_is_scaled_down():
    out = io.BytesIO()
    Image.new("RGB", (3000, 1500), (0, 0, 255)).save(out, format="JPEG")
    upload = SimpleUploadedFile("photo.jpg", out.getvalue(), "image/jpeg")

    cleaned = clean_image(upload)

    image = Image.open(io.BytesIO(cleaned.read()))
    assert (image.format, image.size) == ("PNG", (1200, 600))
