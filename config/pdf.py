"""PDF rendering with WeasyPrint, in the shipped Chinese font.

Print layouts extend ``templates/pdf/base.html`` (page size, header with the centre's
name and the title, "第 N 页 / 共 M 页", generated time, signature lines). The font comes
from settings.PDF_FONT_PATH by @font-face, so PDFs look the same on a server without any
Chinese font installed.

Each document has a fixed cost (about 0.1 s here; the first in a process also loads the
font, about 0.5 s), so batches (a day's receipts, an audit pack) should be one template
rendering many pages, separated by ``class="page-break"``, not many calls to
:func:`render_pdf`. Long tables are WeasyPrint's slow part (~70-100 ms a page).
"""

import functools
import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from config.centre import current_centre
from config.downloads import file_response

# Relative and /static/ URLs in print templates resolve against this made-up origin; the
# fetcher below serves them from disk. ".invalid" can never resolve on a network.
BASE_URL = "https://pdf.invalid/"

BASE_CSS = """
@page {
  size: A4;
  margin: 22mm 16mm 20mm;
  font-family: "Noto Sans SC";
  font-size: 8.5pt;
  color: #444;
  @top-center { content: element(pdf-header); width: 100%; vertical-align: bottom; }
  @bottom-left { content: element(pdf-generated); vertical-align: top; }
  @bottom-right {
    content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
    vertical-align: top;
  }
}
html {
  font-family: "Noto Sans SC";
  font-size: 10.5pt;
  line-height: 1.5;
  color: #000;
}
.pdf-header {
  position: running(pdf-header);
  display: table;
  width: 100%;
  border-bottom: 0.5pt solid #888;
  padding-bottom: 1mm;
}
.pdf-header span { display: table-cell; }
.pdf-header span + span { text-align: right; }
.pdf-generated { position: running(pdf-generated); }
/* Running elements keep the body's style, not the page margin's: restate it. */
.pdf-header, .pdf-generated { font-size: 8.5pt; color: #444; }
h1 { font-size: 16pt; font-weight: normal; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 12pt; font-weight: normal; margin: 4mm 0 2mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.5pt solid #666; padding: 1mm 1.5mm; vertical-align: top; }
th { background: #eee; font-weight: normal; }
thead { display: table-header-group; }
.num { text-align: right; white-space: nowrap; }
.page-break { break-before: page; }
/* A fixed-layout table rather than flexbox: it lays out several times faster here. */
.signatures { table-layout: fixed; margin-top: 6mm; break-inside: avoid; }
.signatures td { border: none; padding: 6mm 0 0; vertical-align: bottom; }
.signatures .label { width: 4.5em; }
.signatures .line div { border-bottom: 0.5pt solid #000; height: 1.2em; margin-right: 6mm; }
"""

# WeasyPrint shares Pango/fontconfig state through the cached FontConfiguration and is not
# documented as thread-safe; one render at a time per process costs a desk nothing.
_render_lock = threading.Lock()


@functools.cache
def _base_style(font_path: str) -> tuple[FontConfiguration, CSS]:
    """Parse the base stylesheet and load the font once per process (keyed by the path so
    that a changed setting, e.g. in tests, gets its own entry)."""
    font_config = FontConfiguration()
    font_url = Path(font_path).resolve().as_uri()
    font_face = f'@font-face {{ font-family: "Noto Sans SC"; src: url("{font_url}"); }}\n'
    css = CSS(
        string=font_face + BASE_CSS,
        font_config=font_config,
        url_fetcher=LocalFetcher(),
    )
    return font_config, css


class LocalFetcher(URLFetcher):
    """Load only our own files: the font, static files and data: URLs.

    A PDF never fetches from the network, so text in a document cannot make the server
    request an internal address, and a page never waits on a request to itself.
    """

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if url.startswith(BASE_URL):
            return super().fetch(_static_path(parts.path).as_uri(), headers)
        if parts.scheme == "file":
            path = Path(url2pathname(parts.path)).resolve()
            if path == Path(settings.PDF_FONT_PATH).resolve():
                return super().fetch(url, headers)
        raise ValueError(f"PDFs only load the font and static files, not {url}")


def _static_path(url_path: str) -> Path:
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not url_path.startswith(static_prefix):
        raise ValueError(f"not a static file: {url_path}")
    found = finders.find(url_path.removeprefix(static_prefix))
    if not found:
        raise ValueError(f"static file not found: {url_path}")
    return Path(found)


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render a template (usually extending pdf/base.html) to PDF bytes.

    The context gets ``centre`` (config.centre), ``centre_name`` and ``generated_at``
    (local time) unless given; ``title`` names the document in its header and metadata.
    """
    now = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    centre = context.get("centre") or current_centre(request)
    context = {"centre": centre, "centre_name": centre.name, "generated_at": now, **context}
    html = render_to_string(template_name, context, request=request)
    font_config, stylesheet = _base_style(str(settings.PDF_FONT_PATH))
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher())
    with _render_lock:
        return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)


def pdf_response(pdf_bytes: bytes, filename: str, inline: bool = True) -> HttpResponse:
    """Inline by default: the desk opens a receipt in the browser's viewer to print it."""
    return file_response(pdf_bytes, filename, "application/pdf", inline=inline)
