import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from fontTools import subset
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from config.pdf import (
    LocalFetcher,
    Overlay,
    PdfJoiner,
    TextSlot,
    mark_missing_characters,
    pdf_response,
    render_pdf,
)

# Every document reads the centre's details (config.centre) from the database.
pytestmark = pytest.mark.django_db
TEMPLATE_DIR = Path(__file__).parent / "templates"
CHINESE = "步行街客户服务中心 壹佰伍拾元整"
# Given names whose characters are outside GB2312, the code page of many older fonts.
NAMES = ["王喆", "李堃", "张垚", "陈玥", "刘昇", "杨旻", "周珺", "吴镕", "赵晞", "孙犇", "钱燚"]
# The 199 characters of the 通用规范汉字表 (8,105, from Unihan's kTGH field, Unicode 15.0)
# outside U+3400-U+4DB5 and U+4E00-U+9FA5: three late URO additions and 196 in
# Extensions B (36), C (44), D (8) and E (108).
GENERAL_TABLE_OUTSIDE_GB18030_RANGES = (
    "鿍鿎鿏"
    "𠅤𠙶𠳐𡎚𡐓𣗋𣲗𣲘𣸣𤧛𤩽𤫉𥔲𥕢𥖨𥻗𦈡𦒍𦙶𦝼𦭜𦰡𧿹𨐈𨙸𨚕𨟠𨭉𨱇𨱏𨱑𨱔𨺙𩽾𩾃𩾌"
    "𪟝𪣻𪤗𪨰𪨶𪩘𪾢𫄧𫄨𫄷𫄸𫇭𫌀𫍣𫍯𫍲𫍽𫐄𫐐𫐓𫑡𫓧𫓯𫓶𫓹𫔍𫔎𫔶𫖮𫖯𫖳𫗧𫗴𫘜𫘝𫘦𫘧𫘨𫘪𫘬"
    "𫚕𫚖𫚭𫛭𫞩𫟅𫟦𫟹𫟼𫠆𫠊𫠜"
    "𫢸𫫇𫭟𫭢𫭼𫮃𫰛𫵷𫶇𫷷𫸩𬀩𬀪𬂩𬃊𬇕𬇙𬇹𬉼𬊈𬊤𬌗𬍛𬍡𬍤𬒈𬒔𬒗𬕂𬘓𬘘𬘡𬘩𬘫𬘬𬘭𬘯𬙂𬙊𬙋"
    "𬜬𬜯𬞟𬟁𬟽𬣙𬣞𬣡𬣳𬤇𬤊𬤝𬨂𬨎𬩽𬪩𬬩𬬭𬬮𬬱𬬸𬬹𬬻𬬿𬭁𬭊𬭎𬭚𬭛𬭤𬭩𬭬𬭯𬭳𬭶𬭸𬭼𬮱𬮿𬯀𬯎"
    "𬱖𬱟𬳵𬳶𬳽𬳿𬴂𬴃𬴊𬶋𬶍𬶏𬶐𬶟𬶠𬶨𬶭𬶮𬷕𬸘𬸚𬸣𬸦𬸪𬹼𬺈𬺓"
)
# What the desk's documents and typed input use besides ideographs.
PUNCTUATION_AND_SYMBOLS = (
    "0123456789ABCXYZabcxyz ,.:;!?()-+=/%&@#*_'\"<>[]{}"
    "¥￥×÷±°·№℃㎡①②③ⅠⅡⅢ★☆○●□■△▲→←↑↓√"
    "，。、；：？！（）【】《》〈〉「」『』〔〕“”‘’—…～·￥％＋－＝＜＞／"
    "０１２３４５６７８９ＡＢＣａｂｃ　〇零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整"
)
# WeasyPrint names an embedded font "<6 letters>+<family of the @font-face rule>".
SHIPPED_FONT_NAME = re.compile(r"/[A-Z]{6}\+Noto-Sans-SC")


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
    """Collect the fonts' descriptor names and their embedded font-file keys, XObjects
    included; a font without a descriptor (a standard PDF font) counts by its BaseFont."""
    for font in resources.get("/Font", DictionaryObject()).values():
        font = font.get_object()
        descendants = [d.get_object() for d in font.get("/DescendantFonts", [])]
        for part in [font, *descendants]:
            descriptor = part.get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                files = {key for key in descriptor if key.startswith("/FontFile")}
                found.setdefault(str(descriptor["/FontName"]), set()).update(files)
            elif not descendants:
                found.setdefault(str(part["/BaseFont"]), set())
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
        assert SHIPPED_FONT_NAME.fullmatch(name), f"{name} is not the shipped font"
        assert files, f"{name} is not embedded"


def assert_names_printed(pdf: bytes) -> None:
    text = read(pdf).pages[0].extract_text()
    for name in NAMES:
        assert re.search(rf"(?<!\S){name}(?!\S)", text), f"{name} not in {text!r}"


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


def test_shipped_font_covers_gb18030_ideographs_and_the_general_standard_table():
    codepoints = set(TTFont(django_settings.PDF_FONT_PATH, lazy=True).getBestCmap())

    # GB18030's CJK Unified Ideographs in the BMP: the URO up to U+9FA5 and Extension A.
    uro = set(range(0x4E00, 0x9FA5 + 1))
    extension_a = set(range(0x3400, 0x4DB5 + 1))
    assert sorted(uro - codepoints) == []
    assert sorted(extension_a - codepoints) == []
    # With those ranges, these complete the 8,105 characters of the 通用规范汉字表.
    assert len(GENERAL_TABLE_OUTSIDE_GB18030_RANGES) == 199
    assert [ch for ch in GENERAL_TABLE_OUTSIDE_GB18030_RANGES if ord(ch) not in codepoints] == []
    assert [ch for ch in PUNCTUATION_AND_SYMBOLS if ord(ch) not in codepoints] == []
    assert [ch for ch in "".join(NAMES) if ord(ch) not in codepoints] == []


def render_in_fresh_process(tmp_path: Path, fontconfig_file: Path, text: str) -> bytes:
    """Render the sample layout in a new Python process whose fontconfig reads only
    ``fontconfig_file``: fontconfig settles its configuration once per process."""
    out = tmp_path / "out.pdf"
    script = textwrap.dedent(
        f"""
        import django, pathlib
        from decimal import Decimal
        django.setup()
        from django.conf import settings
        settings.TEMPLATES[0]["DIRS"].append({str(TEMPLATE_DIR)!r})
        from config.pdf import render_pdf
        pdf = render_pdf(
            "pdf_test/sample.html",
            {{"title": "收费收据", "text": {text!r}, "amount": Decimal("150"), "pages": [0]}},
        )
        pathlib.Path({str(out)!r}).write_bytes(pdf)
        """
    )
    subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        cwd=django_settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_VAR_DIR": str(tmp_path / "var"),
            "FONTCONFIG_FILE": str(fontconfig_file),
        },
        check=True,
        timeout=300,
    )
    return out.read_bytes()


def fontconfig_file(tmp_path: Path, font_dir: Path, rules: str = "") -> Path:
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig>'
        f"<dir>{font_dir}</dir><cachedir>{tmp_path / 'cache'}</cachedir>{rules}"
        "</fontconfig>"
    )
    return conf


@pytest.mark.slow
def test_names_print_in_the_shipped_font_on_a_machine_without_fonts(tmp_path):
    """A bare server: fontconfig knows no fonts at all."""
    empty = tmp_path / "fonts"
    empty.mkdir()

    pdf = render_in_fresh_process(tmp_path, fontconfig_file(tmp_path, empty), " ".join(NAMES))

    assert_only_shipped_font(pdf)
    assert_names_printed(pdf)
    assert CHINESE.split()[0] in read(pdf).pages[0].extract_text()  # the header


def make_decoy_font(path: Path) -> None:
    """A CJK font under another family name: the shipped font's glyphs for the names."""
    font = TTFont(django_settings.PDF_FONT_PATH)
    options = subset.Options()
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(
        text="".join(NAMES) + CHINESE + "收费收据生成时间第页共金额大写¥0123456789.:-/ "
    )
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):
            record.string = "DecoyCJK-Regular" if record.nameID == 6 else "Decoy CJK"
    font.flavor = None
    font.save(path)


@pytest.mark.slow
def test_fontconfig_cannot_put_another_cjk_font_in_place_of_the_shipped_one(tmp_path):
    """A server whose fontconfig rules prefer another CJK font for every family, as an
    alias for "Noto Sans SC" or a distribution's CJK defaults could."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    make_decoy_font(fonts / "decoy.otf")
    prefer_decoy = (
        '<match target="pattern"><edit name="family" mode="prepend" binding="strong">'
        "<string>Decoy CJK</string></edit></match>"
    )
    conf = fontconfig_file(tmp_path, fonts, prefer_decoy)

    pdf = render_in_fresh_process(tmp_path, conf, " ".join(NAMES))

    assert_only_shipped_font(pdf)
    assert_names_printed(pdf)


def system_cjk_fonts() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    listing = subprocess.run(
        ["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=True
    )
    return [line for line in listing.stdout.splitlines() if line.strip()]


def test_only_the_shipped_font_is_embedded_beside_installed_cjk_fonts(sample_templates):
    """This process sees the system's fonts; CI installs fonts-noto-cjk
    (scripts/e2e_setup.sh) so that another Chinese font is really there."""
    installed = system_cjk_fonts()
    if not installed:
        message = "no system CJK font (apt-get install fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    # <code> asks for the generic "monospace", which a system would give its own font.
    pdf = render_sample(text=" ".join(NAMES), code="No. 2025-000123 收据")

    assert_only_shipped_font(pdf)
    assert_names_printed(pdf)
    assert "No. 2025-000123 收据" in read(pdf).pages[0].extract_text()


def test_a_character_the_font_lacks_prints_as_the_missing_mark(sample_templates):
    pdf = render_sample(text="王喆😀钱燚 a\u200db e\ufe00")

    assert_only_shipped_font(pdf)
    # Without the mark WeasyPrint garbles the extracted text of the whole line.
    assert "王喆〓钱燚 ab e" in read(pdf).pages[0].extract_text()


def test_mark_missing_characters_keeps_what_draws_nothing():
    font = str(django_settings.PDF_FONT_PATH)

    assert mark_missing_characters("<p>钱燚😀𬌗</p>", font) == "<p>钱燚〓𬌗</p>"
    kept = "a\u200db\u00adc\ufe0f\U000e0100\t\n\u3000"
    assert mark_missing_characters(kept, font) == kept


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


def font_programs(pdf: bytes) -> list[bytes]:
    """The font files embedded in the PDF, decompressed, each object once."""
    reader = read(pdf)
    programs = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            [descendant] = font.get_object()["/DescendantFonts"]
            ref = descendant.get_object()["/FontDescriptor"].get_object().raw_get("/FontFile3")
            programs[ref.idnum] = ref.get_object().get_data()
    return list(programs.values())


def test_a_long_join_embeds_the_whole_font_once_for_every_subset(sample_templates):
    first, second = render_sample(text="收费收据甲"), render_sample(text="押金退款乙")
    subsets = font_programs(first) + font_programs(second)
    out = io.BytesIO()
    joiner = PdfJoiner(out, whole_font=True)
    joiner.append(first)
    joiner.append(second)
    joiner.finish(title="合订")

    [program] = font_programs(out.getvalue())

    whole = TTFont(django_settings.PDF_FONT_PATH, recalcTimestamp=False)
    whole.flavor = None
    expected = io.BytesIO()
    whole.save(expected)
    assert program == expected.getvalue()
    assert all(len(subset) < len(program) for subset in subsets)
    texts = [page.extract_text() for page in read(out.getvalue()).pages]
    assert ["收费收据甲" in texts[0], "押金退款乙" in texts[1]] == [True, True]


def test_an_overlay_page_is_drawn_over_the_page_left_as_it_was(sample_templates):
    page, stamp = render_sample(text="原件正文"), render_sample(text="作废印章")
    out = io.BytesIO()
    joiner = PdfJoiner(out)
    joiner.append(page, over=[[Overlay(stamp).page(0)]])
    joiner.finish(title="盖章")

    [joined] = read(out.getvalue()).pages
    own = read(page).pages[0]["/Contents"].get_object().get_data()
    drawn = [stream.get_object().get_data() for stream in joined["/Contents"].get_object()]
    assert drawn[1] == own  # between the q and the Q that draws the overlay after it
    assert drawn[0].strip() == b"q" and drawn[2].strip() == b"Q q /JoinedOverlay0 Do Q"
    text = joined.extract_text()
    assert "原件正文" in text and "作废印章" in text


def render_lines(*lines):
    return render_pdf("pdf_test/lines.html", {"title": "行", "lines": lines})


def line_start(content: bytes) -> float:
    """Where a page's one line of text starts: its Tm's x, moved by a Td if one follows."""
    stream = ContentStream(None, None)
    stream.set_data(content)
    x = None
    for operands, operator in stream.operations:
        if operator == b"Tm":
            x = float(operands[4])
        elif operator == b"Td":
            x += float(operands[0])
    return x


def test_a_text_slot_writes_its_line_where_weasyprint_would_have(sample_templates):
    # The sample holds every digit; a page's line ends where the sample's ended, as
    # WeasyPrint lays the same line out right-aligned in the same place.
    sample = Overlay(render_lines("第 1234567890 张 / 共 12 张"))
    slot = sample.page(0, text="第 7 张 / 共 12 张")
    laid_out = read(render_lines("第 7 张 / 共 12 张")).pages[0].get_contents().get_data()

    written = sample.content(slot)

    # Within a hundredth of a pixel (Pango rounds its advances to 1/1024 of one).
    assert line_start(written) == pytest.approx(line_start(laid_out), abs=0.01)
    # Nine digits fewer (each 555 thousandths of an em in the shipped font, at 7 pt: the
    # page's unit is the CSS pixel, 7 pt = 9.333 px) moves the line's start right.
    assert line_start(written) - line_start(sample.content(sample.page(0))) == pytest.approx(
        9 * 0.555 * 7 * 4 / 3, abs=0.01
    )
    out = io.BytesIO()
    joiner = PdfJoiner(out)
    joiner.append(render_sample(text="原件正文"), over=[[slot]])
    joiner.finish(title="编号")
    text = read(out.getvalue()).pages[0].extract_text()
    assert "第 7 张 / 共 12 张" in text and "原件正文" in text and "1234567890" not in text


def test_a_text_slot_takes_a_page_of_one_line_and_characters_the_font_has(sample_templates):
    with pytest.raises(ValueError, match="one line of text, not 2"):
        Overlay(render_lines("第 1 张", "第 2 张")).page(0, text="第 3 张")
    slot = TextSlot(read(render_lines("第 1 张")).pages[0])
    with pytest.raises(ValueError, match="no glyph"):
        slot.content("第 \U0001f600 张")


def test_an_overlay_page_drawn_on_many_pages_is_written_once(sample_templates):
    frame = Overlay(render_lines("审计资料"))
    numbers = Overlay(render_lines("第 1234567890 张"))
    out = io.BytesIO()
    joiner = PdfJoiner(out)
    for n in (1, 2):
        joiner.append(
            render_sample(text=f"原件{n}"),
            over=[[frame.page(0), numbers.page(0, text=f"第 {n} 张")]],
        )
    joiner.finish(title="合订")

    pages = read(out.getvalue()).pages
    forms = [page["/Resources"]["/XObject"] for page in pages]
    margins = {form.raw_get("/JoinedOverlay0").idnum for form in forms}
    lines = {form.raw_get("/JoinedOverlay1").idnum for form in forms}
    assert len(margins) == 1 and len(lines) == 2
    texts = [page.extract_text() for page in pages]
    assert ["审计资料" in text for text in texts] == [True, True]
    assert ["第 1 张" in texts[0], "第 2 张" in texts[1]] == [True, True]
