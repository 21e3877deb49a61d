"""config.uploads for drawings and documents: a PDF is taken only when pypdf opens it (its
pages counted), an image is decoded and re-encoded, anything else is refused with a message
for the field; the digest is of the bytes stored."""

import hashlib
import io

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from config.uploads import DocumentUploadField, clean_document, clean_photo, open_pdf
from tests.images import jpeg_bytes, pdf_bytes, png_bytes


def upload(content: bytes, name: str = "file.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(action) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        action()
    return refused.value.messages


def test_a_pdf_is_kept_as_sent_with_its_pages_and_digest():
    content = pdf_bytes(3)
    stored = clean_document(upload(content, "../../plan.pdf"))
    assert (stored.pages, stored.size, stored.sha256) == (
        3,
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    assert stored.content.read() == content
    assert stored.content.name.endswith(".pdf") and "plan" not in stored.content.name


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n",  # a header and nothing else
        b"%PDF-1.7\n<html><script>alert(1)</script></html>\n%%EOF",
        pdf_bytes(2)[:300],  # cut short: no cross-reference table, no pages
    ],
)
def test_a_file_that_only_looks_like_a_pdf_is_refused(content):
    assert refusal(lambda: open_pdf(upload(content))) == [
        "The file is not a PDF that can be opened."
    ]


def test_a_password_protected_pdf_is_refused():
    assert refusal(lambda: open_pdf(upload(pdf_bytes(1, password="s3cret")))) == [
        "The PDF is protected by a password; upload one that opens without it."
    ]


def test_a_pdf_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 100
    [message] = refusal(lambda: open_pdf(upload(pdf_bytes(1))))
    assert message.startswith("The file is ") and message.endswith(
        "at most 100\xa0bytes is accepted."
    )


def test_an_image_document_is_re_encoded_as_a_png_without_what_rode_along():
    sent = png_bytes(size=(80, 60)) + b"<script>alert(1)</script>"
    stored = clean_document(upload(sent, "plan.png"))
    content = stored.content.read()
    assert stored.pages is None and stored.content.name.endswith(".png")
    assert b"<script>" not in content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert Image.open(io.BytesIO(content)).size == (80, 60)


def test_a_photo_is_re_encoded_as_a_jpeg_and_scaled_down():
    stored = clean_photo(upload(jpeg_bytes(size=(3200, 1600))), longest_side=1600)
    image = Image.open(io.BytesIO(stored.content.read()))
    assert (image.format, image.size) == ("JPEG", (1600, 800))


class DocumentForm(forms.Form):
    file = DocumentUploadField()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text", "The file is neither a PDF nor a JPEG or PNG image."),
        (b"GIF89a\x01\x00\x01\x00", "The file is neither a PDF nor a JPEG or PNG image."),
        (b"%PDF-1.3\ntrailer", "The file is not a PDF that can be opened."),
    ],
)
def test_the_field_puts_the_reason_next_to_itself(content, message):
    form = DocumentForm(data={}, files={"file": upload(content)})
    assert form.errors == {"file": [message]}


def test_the_field_takes_a_pdf_and_an_image():
    assert DocumentForm(data={}, files={"file": upload(pdf_bytes(1))}).is_valid()
    assert DocumentForm(data={}, files={"file": upload(png_bytes())}).is_valid()
