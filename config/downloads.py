"""HTTP responses for files the user downloads or opens (PDF, Excel, ZIP)."""

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse


def _ascii_fallback(filename: str) -> str:
    """An ASCII stand-in for clients that ignore ``filename*`` (RFC 6266 section 4.3)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._-")
    stem, dot, ext = filename.rpartition(".")
    if not ascii_name or ascii_name == ext:
        # A name that was all Chinese keeps at least its extension, so it still opens.
        return f"download.{ext}" if dot and ext.isascii() and ext.isalnum() else "download"
    return ascii_name


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition value that keeps a Chinese file name.

    ``filename*`` carries the real name in UTF-8, percent-encoded (RFC 5987/8187), which
    every current browser prefers; ``filename`` is an ASCII fallback. Percent-encoding also
    means a name can never break out of the header (quotes, CR/LF).
    """
    disposition = "inline" if inline else "attachment"
    encoded = quote(filename, safe="")
    return f"{disposition}; filename=\"{_ascii_fallback(filename)}\"; filename*=UTF-8''{encoded}"


def file_response(
    content: bytes, filename: str, content_type: str, *, inline: bool = False
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    # Exports carry tenants' personal data: keep them out of shared proxies and caches.
    response["Cache-Control"] = "private, no-store"
    return response
