"""Uploaded images: decoded by Pillow, limited in bytes and pixels, re-encoded under a name
the server makes; and the form field that takes one such image.

Judging a file by its first bytes lets through a PNG signature followed by HTML or script;
decoding every pixel and writing a fresh file keeps only the picture, never what rode along
with it (metadata, trailing bytes, a second format). The pixel limit is checked from the
header, before decoding, so a small file claiming 50,000 × 50,000 pixels costs nothing.
The client's file name is never used: it may hold ``../``, a NUL or a misleading suffix.
"""

import base64
import hashlib
import io
import logging
import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

# Only these decoders ever see an upload: Pillow would otherwise try every format it knows
# (EPS hands the file to Ghostscript, for one).
ACCEPTED_FORMATS = ("PNG", "JPEG")
# Errors Pillow raises on a file that is not, or not wholly, an image of its format.
DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError)
SUFFIXES = {"PNG": "png", "JPEG": "jpg"}
JPEG_QUALITY = 85
WHITE = (255, 255, 255)


def _check_size(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; at most %(max)s is accepted."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
        )


def _not_an_image() -> ValidationError:
    return ValidationError(_("The file is not a JPEG or PNG image."), code="not_image")


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _("The image has more than %(max)s pixels in all; make it smaller."),
        code="too_many_pixels",
        params={"max": f"{max_pixels:,}"},
    )


def open_image(
    upload, *, max_bytes: int | None = None, max_pixels: int | None = None
) -> Image.Image:
    """The upload decoded whole, once its size, format and pixel count (from the header)
    pass; raises ValidationError with a message for the field otherwise."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    max_pixels = max_pixels or settings.UPLOAD_MAX_PIXELS
    _check_size(upload, max_bytes)
    upload.seek(0)
    try:
        image = Image.open(upload, formats=ACCEPTED_FORMATS)
        width, height = image.size
        if width * height > max_pixels:
            raise _too_many_pixels(max_pixels)
        image.load()  # every pixel: a truncated or corrupt file fails here
    except Image.DecompressionBombError:
        # Pillow's own, far higher limit, met while reading the header.
        raise _too_many_pixels(max_pixels) from None
    except DECODE_ERRORS:
        raise _not_an_image() from None
    return image


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and black behind a cut-out face is wrong."""
    if image.mode == "RGB":
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, WHITE)
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _encoded(image: Image.Image, longest_side: int, image_format: str) -> bytes:
    # A phone's photo is stored sideways with an orientation tag; turn the pixels instead,
    # since the tag goes with the rest of the metadata.
    image = ImageOps.exif_transpose(image)
    if image_format == "JPEG":
        image = _flattened(image)
    else:
        # Keep transparency (a seal printed over text needs it) and drop everything else.
        image = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P", "PA"} else "RGB")
    image.thumbnail((longest_side, longest_side))
    out = io.BytesIO()
    if image_format == "JPEG":
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def clean_image(
    upload,
    *,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    longest_side: int = 1200,
    image_format: str = "PNG",
) -> ContentFile:
    """The upload as a fresh PNG (or JPEG) named ``<random>.png`` (``.jpg``), at most
    ``longest_side`` pixels wide or high; raises ValidationError (with a message for the
    field) otherwise."""
    image = open_image(upload, max_bytes=max_bytes, max_pixels=max_pixels)
    content = _encoded(image, longest_side, image_format)
    return ContentFile(content, name=f"{uuid.uuid4().hex}.{SUFFIXES[image_format]}")


class OneFileInput(forms.FileInput):
    """A file input that lets the field see several files posted under its one name
    (Django's would keep the last one silently)."""

    def value_from_datadict(self, data, files, name):
        uploads = files.getlist(name) if hasattr(files, "getlist") else []
        return uploads if len(uploads) > 1 else super().value_from_datadict(data, files, name)


class ImageUploadField(forms.FileField):
    """One JPEG or PNG image within the upload limits, checked by decoding it. The form
    gets the upload as sent; whoever stores it re-encodes it with clean_image()."""

    widget = OneFileInput(attrs={"accept": "image/jpeg,image/png"})
    default_error_messages = {"several": _("Choose one file only.")}

    def to_python(self, data):
        if isinstance(data, list):
            raise ValidationError(self.error_messages["several"], code="several")
        return super().to_python(data)

    def validate(self, value):
        super().validate(value)
        if value:
            # Decoded to be sure, then let go (closing it would close the upload too).
            open_image(value)


# --- PDF documents ------------------------------------------------------------------------

PDF_SIGNATURE = b"%PDF-"


def _not_a_pdf() -> ValidationError:
    return ValidationError(_("The file is not a PDF that can be opened."), code="not_pdf")


def is_pdf(upload) -> bool:
    """The upload says it is a PDF by its first bytes (whether it is one, open_pdf says)."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    return PDF_SIGNATURE in head


def open_pdf(upload, *, max_bytes: int | None = None) -> int:
    """The number of pages of an uploaded PDF, once its size passes and pypdf reads its
    structure and every page; raises ValidationError with a message for the field
    otherwise (a password-protected PDF is refused: nobody could read it later)."""
    _check_size(upload, max_bytes or settings.UPLOAD_MAX_BYTES)
    upload.seek(0)
    try:
        reader = PdfReader(io.BytesIO(upload.read()), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is protected by a password; upload one that opens without it."),
                code="encrypted",
            )
        pages = len(reader.pages)
        # Each page's dictionary is read, not only counted: a page without a size is broken.
        if any(page.mediabox.width <= 0 for page in reader.pages):
            raise _not_a_pdf()
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError):
        raise _not_a_pdf() from None
    finally:
        upload.seek(0)
    if pages < 1:
        raise _not_a_pdf()
    return pages


@dataclass
class StoredUpload:
    """An upload ready to store: the bytes under a server-made name, their SHA-256 and,
    for a PDF, its pages."""

    content: ContentFile
    sha256: str
    size: int
    pages: int | None = None


def stored_upload(content: bytes, suffix: str, pages: int | None = None) -> StoredUpload:
    return StoredUpload(
        content=ContentFile(content, name=f"{uuid.uuid4().hex}.{suffix}"),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=pages,
    )


def clean_photo(upload, *, longest_side: int = 1600) -> StoredUpload:
    """A photo (evidence, an inspection's finding) re-encoded as a JPEG, with its digest."""
    image = open_image(upload)
    return stored_upload(_encoded(image, longest_side, "JPEG"), "jpg")


def clean_document(upload, *, longest_side: int = 4000) -> StoredUpload:
    """A drawing or document: a PDF kept as sent once pypdf opens it (its pages counted),
    or an image re-encoded as a PNG (drawings keep their lines sharp); with its digest."""
    if is_pdf(upload):
        pages = open_pdf(upload)
        upload.seek(0)
        content = upload.read()
        upload.seek(0)
        return stored_upload(content, "pdf", pages)
    image = open_image(upload)
    return stored_upload(_encoded(image, longest_side, "PNG"), "png")


class DocumentUploadField(ImageUploadField):
    """One PDF (opened by pypdf) or JPEG/PNG image within the upload limits."""

    widget = OneFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})
    default_error_messages = {
        "several": _("Choose one file only."),
        "unknown": _("The file is neither a PDF nor a JPEG or PNG image."),
    }

    def validate(self, value):
        forms.FileField.validate(self, value)
        if not value:
            return
        if is_pdf(value):
            open_pdf(value)
            return
        try:
            open_image(value)
        except ValidationError as exc:
            if exc.code == "not_image":
                raise ValidationError(self.error_messages["unknown"], code="unknown") from None
            raise


def png_data_uri(field_file) -> str:
    """A stored PNG as a data: URI, for PDFs (the renderer loads no URLs); "" if the file
    is missing, so that a lost image leaves a blank, not a failed print."""
    if not field_file:
        return ""
    try:
        with field_file.open("rb") as handle:
            content = handle.read()
    except OSError:
        logger.warning("Stored image %s is missing", field_file.name)
        return ""
    return "data:image/png;base64," + base64.b64encode(content).decode("ascii")
