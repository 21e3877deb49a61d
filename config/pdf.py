"""PDF rendering with WeasyPrint, in the shipped Chinese font.

Print layouts extend ``templates/pdf/base.html`` (page size, header with the centre's
name and the title, "第 N 页 / 共 M 页", generated time, signature lines). The font comes
from settings.PDF_FONT_PATH by @font-face, and WeasyPrint sees no other font (see
:class:`ShippedFontOnly`), so a PDF looks the same and embeds the same font on every
server, with or without Chinese fonts installed. A character the font lacks prints as 〓.

Each document has a fixed cost (about 0.1 s on an idle machine; the first in a process
also loads the font: WeasyPrint decompresses the 6 MB WOFF2 and we read its character map,
about 1.8 s on a busy shared 2-core machine where the rest of a first PDF took 2-3 s), so
batches (a day's receipts, an audit pack) should be one template rendering many pages,
separated by ``class="page-break"``, not many calls to :func:`render_pdf`. Long tables
are WeasyPrint's slow part (~70-100 ms a page). A document of thousands of pages is
rendered in parts and written out by :class:`PdfJoiner`, which holds one part at a time.
"""

import functools
import io
import threading
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
    create_string_object,
)
from weasyprint import CSS, HTML
from weasyprint.text.ffi import ffi, fontconfig, pangoft2
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

# The printer's sign for a character the type case lacks (U+3013 GETA MARK, 〓).
MISSING_MARK = "\u3013"

# WeasyPrint declares only the fontconfig calls it makes itself; ShippedFontOnly needs one
# more. override=True keeps this harmless should WeasyPrint declare it too one day.
ffi.cdef("FcConfig * FcConfigCreate (void);", override=True)


class ShippedFontOnly(FontConfiguration):
    """A WeasyPrint font configuration that knows only the fonts of @font-face rules.

    WeasyPrint starts from the system's fontconfig setup, so a generic family (a
    browser's default "serif", "monospace") or a character missing from the shipped
    font would be drawn from whatever fonts the server has, and fontconfig's aliases
    could even prefer an installed CJK font: the PDF would change from server to server.
    An empty configuration has neither system fonts nor substitution rules, so every
    family resolves to the shipped font.
    """

    def __init__(self):
        super().__init__()
        config = fontconfig.FcConfigCreate()
        font_map = ffi.cast("PangoFcFontMap *", self.font_map)
        pangoft2.pango_fc_font_map_set_config(font_map, config)
        # The font map keeps its own reference, as in FontConfiguration.__init__.
        fontconfig.FcConfigDestroy(config)
        # add_font_face registers the @font-face fonts in this configuration.
        self._config = config


# WeasyPrint shares Pango/fontconfig state through the cached FontConfiguration and is not
# documented as thread-safe; one render at a time per process costs a desk nothing.
_render_lock = threading.Lock()


@functools.cache
def _base_style(font_path: str) -> tuple[FontConfiguration, CSS]:
    """Parse the base stylesheet and load the font once per process (keyed by the path so
    that a changed setting, e.g. in tests, gets its own entry)."""
    font_config = ShippedFontOnly()
    font_url = Path(font_path).resolve().as_uri()
    font_face = f'@font-face {{ font-family: "Noto Sans SC"; src: url("{font_url}"); }}\n'
    css = CSS(
        string=font_face + BASE_CSS,
        font_config=font_config,
        url_fetcher=LocalFetcher(),
    )
    return font_config, css


@functools.cache
def _font_codepoints(font_path: str) -> frozenset[int]:
    return frozenset(TTFont(font_path, lazy=True).getBestCmap())


def _shows_nothing(char: str) -> bool:
    # Controls, format characters (zero-width joiner, soft hyphen) and variation
    # selectors need no glyph: Pango draws nothing for them.
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") or (
        "VARIATION SELECTOR" in unicodedata.name(char, "")
    )


def mark_missing_characters(html: str, font_path: str) -> str:
    """Replace every visible character the shipped font lacks (an emoji, a very rare
    ideograph) with 〓, as a printer would. Left in, Pango draws an empty box and
    WeasyPrint writes its placeholder glyph number into the text layer, which garbles the
    copied or extracted text of the whole page."""
    covered = _font_codepoints(font_path)
    missing = {
        ord(char): MISSING_MARK
        for char in set(html)
        if ord(char) not in covered and not char.isspace() and not _shows_nothing(char)
    }
    return html.translate(missing) if missing else html


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
    font_path = str(settings.PDF_FONT_PATH)
    html = mark_missing_characters(
        render_to_string(template_name, context, request=request), font_path
    )
    font_config, stylesheet = _base_style(font_path)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher())
    with _render_lock:
        return document.write_pdf(stylesheets=[stylesheet], font_config=font_config)


def pdf_response(pdf_bytes: bytes, filename: str, inline: bool = True) -> HttpResponse:
    """Inline by default: the desk opens a receipt in the browser's viewer to print it."""
    return file_response(pdf_bytes, filename, "application/pdf", inline=inline)


@functools.cache
def _whole_font(font_path: str) -> bytes:
    """The shipped font as one OpenType file, deflated (~7 MB, made once per process)."""
    # The font's own timestamp kept: the same pack comes out byte for byte whenever made.
    font = TTFont(font_path, recalcTimestamp=False)
    font.flavor = None  # WOFF2 to plain OpenType, as WeasyPrint embeds it
    buffer = io.BytesIO()
    font.save(buffer)
    return zlib.compress(buffer.getvalue(), 6)


class Overlay:
    """The pages of one PDF (a frame, a stamp) to draw on top of pages given to a
    :class:`PdfJoiner`: ``joiner.append(pdf, over=[[overlay.page(0)]])``. An overlay page
    becomes a form XObject that the page draws after its own content, which stays as it
    was, byte for byte. ``overlay.page(i, text=...)``: the page with its one line of
    text replaced (see :class:`TextSlot`)."""

    def __init__(self, pdf: bytes):
        self.reader = PdfReader(io.BytesIO(pdf))
        self._slots: dict[int, TextSlot] = {}

    def page(self, index: int, text: str | None = None) -> "OverlayPage":
        if text is not None and index not in self._slots:
            # Read now: a joiner renumbers the references of what it copies, in place.
            self._slots[index] = TextSlot(self.reader.pages[index])
        return OverlayPage(self, index, text)

    def content(self, over: "OverlayPage") -> bytes:
        """What the overlay page draws: its own content, or its line of text replaced."""
        if over.text is not None:
            return self._slots[over.index].content(over.text)
        contents = self.reader.pages[over.index].get_contents()
        return contents.get_data() if contents is not None else b""


@dataclass(frozen=True)
class OverlayPage:
    overlay: Overlay
    index: int
    text: str | None = None


@functools.cache
def _glyphs(font_path: str) -> tuple[dict[int, int], list[float]]:
    """The shipped font's glyph number of each character, and each glyph's advance in
    thousandths of an em (the PDF's unit for widths)."""
    font = TTFont(font_path, lazy=True)
    order = font.getGlyphOrder()
    number = {name: index for index, name in enumerate(order)}
    scale = 1000 / font["head"].unitsPerEm
    metrics = font["hmtx"]
    advances = [metrics[name][0] * scale for name in order]
    return {char: number[name] for char, name in font.getBestCmap().items()}, advances


def _string_bytes(string) -> bytes:
    return string.original_bytes if isinstance(string, TextStringObject) else bytes(string)


class TextSlot:
    """A page laid out by WeasyPrint showing one line of text (a sample), ready to show
    another line in its place, ending where the sample ended (right-aligned), in the
    sample's font, size and colour.

    Laying out a page costs WeasyPrint ~10 ms; writing a line into a copy of the sample's
    content costs a few microseconds. So a page number on each of 20,000 pages is written
    here (fees.exporters.receipts). The sample is written by WeasyPrint with the shipped
    font under Identity-H (a character's code is its glyph number, as in every document
    it writes); a line may use only the characters of its document (a subset keeps the
    glyphs used, and the ToUnicode map that copy and search read names those alone), so
    the sample carries every character the lines need.
    """

    def __init__(self, page):
        operations = page.get_contents().operations
        shows = [at for at, (_, operator) in enumerate(operations) if operator in (b"Tj", b"TJ")]
        if len(shows) != 1:
            raise ValueError(f"a text slot's page shows one line of text, not {len(shows)}")
        at = shows[0]
        name, size = next(ops for ops, op in reversed(operations[:at]) if op == b"Tf")
        font = page["/Resources"]["/Font"][name].get_object()
        if font.get("/Encoding") != "/Identity-H":
            raise ValueError("a text slot's font is encoded by glyph number (Identity-H)")
        self.size = float(size)
        self.glyphs, self.advances = _glyphs(str(settings.PDF_FONT_PATH))
        self.before = self._content(operations[:at])
        self.after = self._content(operations[at + 1 :])
        self.end = self._sample_advance(operations[at])

    @staticmethod
    def _content(operations) -> bytes:
        stream = ContentStream(None, None)
        stream.operations = operations
        return stream.get_data()

    def _sample_advance(self, show) -> float:
        """The sample's advance in thousandths of an em: its glyphs' widths, less TJ's
        adjustments (a number in a TJ array moves the next glyph back by that much)."""
        operands, operator = show
        items = operands[0] if operator == b"TJ" else operands
        advance = 0.0
        for item in items:
            if isinstance(item, (int, float)):
                advance -= float(item)
            else:
                codes = _string_bytes(item)
                advance += sum(
                    self.advances[int.from_bytes(codes[i : i + 2], "big")]
                    for i in range(0, len(codes), 2)
                )
        return advance

    def content(self, text: str) -> bytes:
        try:
            glyphs = [self.glyphs[ord(char)] for char in text]
        except KeyError as missing:
            raise ValueError(f"the shipped font has no glyph for {text!r}") from missing
        advance = sum(self.advances[glyph] for glyph in glyphs)
        # Td moves the line's start in text space, where the font size scales an em.
        shift = (self.end - advance) * self.size / 1000
        codes = b"".join(glyph.to_bytes(2, "big") for glyph in glyphs)
        return self.before + b"%.4f 0 Td\n<%s> Tj\n" % (shift, codes.hex().encode()) + self.after


class _Copier:
    """Copies the objects of one PDF read into a joiner, under new numbers, each once."""

    def __init__(self, joiner: "PdfJoiner", reader: PdfReader):
        self.joiner = joiner
        self.reader = reader
        self.numbers: dict[int, int] = {}
        self.pending: list[IndirectObject] = []

    def renumbered(self, ref: IndirectObject) -> IndirectObject:
        if ref.idnum not in self.numbers:
            self.numbers[ref.idnum] = self.joiner.new_number()
            self.pending.append(ref)
        return IndirectObject(self.numbers[ref.idnum], 0, None)

    def rewrite(self, obj):
        """The object with its references renumbered (containers changed in place: the
        reader is thrown away with its part). A reference to an object of the joined file
        (``pdf`` None: a page's overlay) is left as it is."""
        if isinstance(obj, IndirectObject):
            return obj if obj.pdf is None else self.renumbered(obj)
        if isinstance(obj, dict):
            for key, value in obj.items():
                obj[key] = self.rewrite(value)
        elif isinstance(obj, list):
            obj[:] = [self.rewrite(value) for value in obj]
        return obj

    def flush(self, page_hook=None) -> None:
        """Write every object reached so far; ``page_hook(page)`` may change a page."""
        while self.pending:
            ref = self.pending.pop()
            obj = self.reader.get_object(ref)
            is_page = isinstance(obj, dict) and obj.get("/Type") == "/Page"
            if self.joiner.whole_font and _is_shipped_subset(obj):
                obj[NameObject("/FontFile3")] = self.joiner.whole_font_ref()
            if is_page:
                del obj["/Parent"]  # the part's page tree stays behind
                if page_hook is not None:
                    page_hook(ref.idnum, obj)
            self.rewrite(obj)
            if is_page:
                obj[NameObject("/Parent")] = IndirectObject(PdfJoiner.PAGES, 0, None)
            self.joiner.write_object(self.numbers[ref.idnum], obj)


def _is_shipped_subset(obj) -> bool:
    """A font descriptor of a subset of the shipped font (WeasyPrint keeps each glyph's
    number in a subset, so the whole font draws the same glyphs)."""
    return (
        isinstance(obj, dict)
        and obj.get("/Type") == "/FontDescriptor"
        and obj.get("/FontFamily") == "Noto Sans SC"
        and "/FontFile3" in obj
    )


class PdfJoiner:
    """Joins PDFs into one, page after page, writing each part's objects out as it comes.

    Memory holds one part and the list of pages, whatever the length: pypdf's PdfWriter
    keeps every page until it writes (~40 KB a page, a gigabyte for a busy month). Each
    part's objects reachable from its pages are renumbered and copied; the parts' own
    catalogues (outlines, page trees) are left behind, and one page tree holds all pages.
    A page may get an :class:`Overlay` page drawn on top of it (a stamp, a running header).

    Each document WeasyPrint writes embeds its own subset of the shipped font, ~100 KB
    however few its characters (a subset keeps every glyph's place). Joining thousands of
    one-page documents (stored receipts), ``whole_font`` embeds the whole font once
    (~7 MB) and every subset's descriptor points to it instead.
    """

    CATALOG, PAGES = 1, 2

    def __init__(self, stream, *, whole_font: bool = False):
        self.whole_font = whole_font
        self._whole_font_ref: IndirectObject | None = None
        self.stream = stream
        self.position = 0
        self.offsets: dict[int, int] = {}
        self.pages: list[int] = []
        self.next_number = 3
        self._overlay_copiers: dict[int, _Copier] = {}
        self._forms: dict[OverlayPage, IndirectObject] = {}
        # [the "q" before a page's content, the "Q" after it that draws n overlays ...]
        self._brackets: list[IndirectObject] = []
        self._write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.stream.write(data)
        self.position += len(data)

    def new_number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def write_object(self, number: int, obj) -> None:
        buffer = io.BytesIO()
        obj.write_to_stream(buffer)
        self.offsets[number] = self.position
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, buffer.getvalue()))

    def whole_font_ref(self) -> IndirectObject:
        if self._whole_font_ref is None:
            font = StreamObject()
            font._data = _whole_font(str(settings.PDF_FONT_PATH))
            font[NameObject("/Filter")] = NameObject("/FlateDecode")
            font[NameObject("/Subtype")] = NameObject("/OpenType")
            number = self.new_number()
            self.write_object(number, font)
            self._whole_font_ref = IndirectObject(number, 0, None)
        return self._whole_font_ref

    def _stream(self, data: bytes, entries: dict | None = None) -> IndirectObject:
        stream = DecodedStreamObject()
        stream.set_data(data)
        stream.update(entries or {})
        number = self.new_number()
        self.write_object(number, stream)
        return IndirectObject(number, 0, None)

    def _form(self, over: OverlayPage) -> IndirectObject:
        """The overlay page as a form XObject of this file (its resources copied once per
        overlay PDF; a page without a text of its own written once, however many pages
        draw it)."""
        if over.text is None and over in self._forms:
            return self._forms[over]
        reader = over.overlay.reader
        copier = self._overlay_copiers.get(id(over.overlay))
        if copier is None or copier.reader is not reader:
            copier = self._overlay_copiers[id(over.overlay)] = _Copier(self, reader)
        page = reader.pages[over.index]
        resources = page.get("/Resources", DictionaryObject())
        entries = {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(page.mediabox),
            NameObject("/Resources"): copier.rewrite(resources),
        }
        form = self._stream(over.overlay.content(over), entries)
        copier.flush()
        if over.text is None:
            self._forms[over] = form
        return form

    def _draw_over(self, page: DictionaryObject, forms: list[IndirectObject]) -> None:
        """Wrap the page's content in q/Q (whatever state it leaves, the overlays start
        from the page's own) and draw the forms after it, in order."""
        if not self._brackets:
            self._brackets.append(self._stream(b"q\n"))
        while len(self._brackets) <= len(forms):
            drawn = b"".join(b" q /JoinedOverlay%d Do Q" % n for n in range(len(self._brackets)))
            self._brackets.append(self._stream(b"\nQ" + drawn + b"\n"))
        contents = page.get("/Contents")
        if contents is None:
            old = []
        elif isinstance(contents.get_object(), list):
            old = list(contents.get_object())
        else:
            old = [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [self._brackets[0], *old, self._brackets[len(forms)]]
        )
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        for n, form in enumerate(forms):
            xobjects[NameObject(f"/JoinedOverlay{n}")] = form
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources

    def append(self, pdf: bytes, over: Sequence[Sequence[OverlayPage]] = ()) -> None:
        """Add the pages of ``pdf``; page i gets the overlay pages ``over[i]`` drawn on
        top, in order (the first underneath)."""
        reader = PdfReader(io.BytesIO(pdf))
        copier = _Copier(self, reader)
        forms: dict[int, list[IndirectObject]] = {}
        for index, page in enumerate(reader.pages):
            ref = page.indirect_reference
            if index < len(over) and over[index]:
                forms[ref.idnum] = [self._form(layer) for layer in over[index]]
            self.pages.append(copier.renumbered(ref).idnum)

        def stamp(idnum, page):
            if idnum in forms:
                self._draw_over(page, forms[idnum])

        copier.flush(stamp)

    def finish(self, *, title: str) -> None:
        kids = ArrayObject(IndirectObject(number, 0, None) for number in self.pages)
        pages = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): kids,
                NameObject("/Count"): NumberObject(len(self.pages)),
            }
        )
        self.write_object(self.PAGES, pages)
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): IndirectObject(self.PAGES, 0, None),
                NameObject("/Lang"): create_string_object("zh-CN"),
            }
        )
        self.write_object(self.CATALOG, catalog)
        info = self.next_number
        self.write_object(
            info, DictionaryObject({NameObject("/Title"): create_string_object(title)})
        )
        size = info + 1
        xref = self.position
        entries = [b"0000000000 65535 f \n"]
        entries += [b"%010d 00000 n \n" % self.offsets[number] for number in range(1, size)]
        self._write(b"xref\n0 %d\n%s" % (size, b"".join(entries)))
        self._write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, self.CATALOG, info, xref)
        )
