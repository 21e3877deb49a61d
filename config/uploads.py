"""Uploaded images: decoded by Pillow, limited in bytes and pixels, re-encoded as PNG under a
name the server makes.

Judging a file by its first bytes lets through a PNG signature followed by HTML or script;
decoding every pixel and writing a fresh PNG keeps only the picture, never what rode along
with it (metadata, trailing bytes, a second format). The pixel limit is checked from the
header, before decoding, so a small file claiming 50,000 × 50,000 pixels costs nothing.
"""

import base64
import io
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = {"PNG", "JPEG"}
# Errors Pillow raises on a file that is not, or not wholly, an image of its format.
DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError)


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


def _open_checked(upload, max_pixels: int) -> Image.Image:
    """Open the image, refuse it by its header (format, pixel count), then decode it all."""
    upload.seek(0)
    try:
        image = Image.open(upload)
        if image.format not in ACCEPTED_FORMATS:
            raise _not_an_image()
        width, height = image.size
        if width * height > max_pixels:
            raise _too_many_pixels(max_pixels)
        image.load()
    except Image.DecompressionBombError:
        # Pillow's own, far higher limit, met while reading the header.
        raise _too_many_pixels(max_pixels) from None
    except DECODE_ERRORS:
        raise _not_an_image() from None
    return image


def _png_bytes(image: Image.Image, longest_side: int) -> bytes:
    # Keep transparency (a seal printed over text needs it) and drop everything else.
    mode = "RGBA" if image.mode in {"RGBA", "LA", "P", "PA"} else "RGB"
    image = image.convert(mode)
    image.thumbnail((longest_side, longest_side))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def clean_image(
    upload,
    *,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    longest_side: int = 1200,
) -> ContentFile:
    """The upload as a fresh PNG named ``<random>.png``, at most ``longest_side`` pixels
    wide or high; raises ValidationError (with a message for the field) otherwise."""
    _check_size(upload, max_bytes or settings.UPLOAD_MAX_BYTES)
    image = _open_checked(upload, max_pixels or settings.UPLOAD_MAX_PIXELS)
    return ContentFile(_png_bytes(image, longest_side), name=f"{uuid.uuid4().hex}.png")


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
