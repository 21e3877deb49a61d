"""The headers of a sample of pages and files: the Content-Security-Policy, no-store, and
Django's own (nosniff, no framing, same-origin referrers)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories.fees import PermitFactory, ReceiptFactory
from tests.images import png_bytes

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


# A <script> without src (json_script's data blocks excepted), an on...= handler, a style
# attribute or element, a javascript: URL.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=|\sstyle=|<style|javascript:",
    re.IGNORECASE,
)
COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def sample(assistant):
    """(path, who reads it) for each kind of answer: pages, a file, a photo, public pages."""
    receipt = ReceiptFactory(cashier=assistant)
    photo = SimpleUploadedFile("me.png", png_bytes(), "image/png")
    permit = PermitFactory(issued_by=assistant, photo=photo)
    return [
        (reverse("home"), assistant),
        (reverse("fees:receipt_list"), assistant),
        (reverse("fees:receipt_detail", args=[receipt.pk]), assistant),
        (reverse("export", args=["charge_ageing_xlsx"]), assistant),
        (reverse("fees:permit_photo", args=[permit.pk]), assistant),
        (reverse("login"), None),
        (reverse("verify_receipt", args=[receipt.token]), None),
    ]


def policy_of(response) -> dict[str, str]:
    directives = [d.strip() for d in response["Content-Security-Policy"].split(";")]
    return {name: value for name, _sep, value in (d.partition(" ") for d in directives if d)}


def test_every_sampled_answer_carries_the_headers(client, sample):
    for path, user in sample:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        assert policy_of(response) == POLICY, path
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "no-cache", "private", "max-age=0"} <= cache_control, path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Referrer-Policy"] == "same-origin", path


def test_the_sample_is_what_it_claims(client, sample):
    """The file and the photo are downloads; the pages are pages."""
    kinds = []
    for path, user in sample:
        if user is not None:
            client.force_login(user)
        response = client.get(path)
        kinds.append(
            (response["Content-Type"].split(";")[0], response.get("Content-Disposition", "")[:10])
        )
    assert kinds == [
        ("text/html", ""),
        ("text/html", ""),
        ("text/html", ""),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "attachment"),
        ("image/jpeg", "attachment"),
        ("text/html", ""),
        ("text/html", ""),
    ]


def test_error_pages_carry_them_too(client, assistant, department):
    client.force_login(department)
    refused = client.get(reverse("fees:receipt_list"))
    client.force_login(assistant)
    missing = client.get(reverse("fees:receipt_detail", args=[999999]))
    for response, status in ((refused, 403), (missing, 404)):
        assert response.status_code == status
        assert policy_of(response)["frame-ancestors"] == "'none'"
        assert "no-store" in response["Cache-Control"]


def test_static_files_may_be_cached(client):
    """Static files are the same for everyone: the no-store rule leaves them alone (in
    production the proxy or WhiteNoise answers them; here Django answers 404 itself)."""
    response = client.get(settings.STATIC_URL + "css/app.css")
    assert "Cache-Control" not in response


def test_no_template_writes_a_script_or_a_style_into_the_page():
    """The policy would refuse them in the browser; this says where, without one."""
    found = []
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    for root in roots:
        for template in root.rglob("*.html"):
            if "pdf" in template.relative_to(root).parts:
                continue  # printed by WeasyPrint, never shown by a browser
            text = COMMENTS.sub("", template.read_text(encoding="utf-8"))
            found += [f"{template}: {m.group(0)}" for m in INLINE.finditer(text)]
    assert found == []
