import io
import re
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from config.pdf import LocalFetcher, pdf_response, render_pdf

# Every document reads the centre's details (config.centre) from the database.
pytestmark = pytest.mark.django_db
TEMPLATE_DIR = Path(__file__).parent / "templates"
CHINESE = "步行街客户服务中心 壹佰伍拾元整"


@pytest.fixture
def sample_templates(settings):
    """Make tests/config/templates/ loadable, for a print layout that extends pdf/base.html."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TEMPLATE_DIR]}]


def render_sample(pages=1, **context):
    context = {"title": "收费收据", "text": CHINESE, "amount": Decimal("150"), **context}
    return render_pdf("pdf_test/sample.html", {"pages": range(pages), **context})


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def fonts_of(resources: DictionaryObject, found: dict[str, set[str]]) -> None:
    """Collect font names and their embedded font-file keys, XObjects included."""
    for font in resources.get("/Font", DictionaryObject()).values():
        font = font.get_object()
        for descendant in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
            descriptor = descendant.get("/FontDescriptor")
            if descriptor is not None:
                files = {key for key in descriptor.get_object() if key.startswith("/FontFile")}
                found.setdefault(str(descendant["/BaseFont"]), set()).update(files)
    for xobject in resources.get("/XObject", DictionaryObject()).values():
        inner = xobject.get_object().get("/Resources")
        if inner is not None:
            fonts_of(inner.get_object(), found)


def embedded_fonts(reader: PdfReader) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for page in reader.pages:
        fonts_of(page["/Resources"].get_object(), found)
    return found


def squeeze(text: str) -> str:
    # Text extraction puts spaces and line breaks where the layout had gaps; compare without.
    return re.sub(r"\s+", "", text)


def assert_only_shipped_font(pdf: bytes) -> None:
    fonts = embedded_fonts(read(pdf))
    assert fonts, "no fonts in the PDF"
    for name, files in fonts.items():
        # WeasyPrint names the subset after the @font-face family: "ABCDEF+Noto-Sans-SC".
        assert "NotoSans" in name.replace("-", ""), name
        assert files, f"{name} is not embedded"


def test_pdf_embeds_the_shipped_font_and_keeps_the_chinese_text(sample_templates):
    pdf = render_sample()

    assert pdf.startswith(b"%PDF-")
    assert_only_shipped_font(pdf)
    text = read(pdf).pages[0].extract_text()
    assert CHINESE in text
    flat = squeeze(text)
    assert "¥150.00" in flat
    assert django_settings.CENTRE_NAME in flat
    assert "收费收据" in flat
    assert "生成时间" in flat
    assert "第1页/共1页" in flat


def test_every_page_counts_the_pages(sample_templates):
    reader = read(render_sample(pages=3))

    assert len(reader.pages) == 3
    for number, page in enumerate(reader.pages, start=1):
        assert f"第{number}页/共3页" in squeeze(page.extract_text())


def test_page_size_block_and_signature_lines(sample_templates):
    reader = read(render_sample(signature_roles=["经办人", "复核人", "财务"]))

    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (148, 210)  # A5
    flat = squeeze(reader.pages[0].extract_text())
    for label in ("经办人：", "复核人：", "财务：", "日期："):
        assert label in flat


def test_chinese_renders_on_a_machine_without_chinese_fonts(tmp_path):
    """Run in a fresh process whose fontconfig knows no fonts at all, as on a bare server."""
    empty = tmp_path / "fonts"
    empty.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig>'
        f"<dir>{empty}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>"
    )
    out = tmp_path / "out.pdf"
    script = textwrap.dedent(
        f"""
        import django, pathlib
        django.setup()
        from config.pdf import render_pdf
        pdf = render_pdf("pdf/base.html", {{"title": {CHINESE!r}, "signature_roles": ["经办人"]}})
        pathlib.Path({str(out)!r}).write_bytes(pdf)
        """
    )
    subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        cwd=django_settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "FONTCONFIG_FILE": str(conf),
        },
        check=True,
        timeout=120,
    )

    pdf = out.read_bytes()
    assert_only_shipped_font(pdf)
    assert CHINESE in read(pdf).pages[0].extract_text()


def test_fetcher_serves_static_files_and_refuses_the_network():
    fetcher = LocalFetcher()

    response = fetcher.fetch("https://pdf.invalid/static/css/fonts.css")
    try:
        assert b"Noto Sans SC" in response.read()
    finally:
        response.close()
    for url in ("http://127.0.0.1/", "https://example.com/x.png", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_pdf_response_opens_inline_with_a_chinese_file_name():
    response = pdf_response(b"%PDF-1.7", "收据-2025001.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename=\"2025001.pdf\"; filename*=UTF-8''%E6%94%B6%E6%8D%AE-2025001.pdf"
    )
    assert response.content == b"%PDF-1.7"
    assert pdf_response(b"", "a.pdf", inline=False)["Content-Disposition"].startswith("attachment;")
