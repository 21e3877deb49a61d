"""Build the Chinese font shipped as static/fonts/NotoSansSC-Regular.woff2.

PDFs must show every name a tenant can have on a server with no Chinese font installed,
and the desk's browsers may be offline, so we ship Noto Sans CJK SC Regular (SIL OFL 1.1,
from Debian's fonts-noto-cjk) ourselves, cut down by code ranges to what a Chinese front
desk writes:

* every CJK Unified Ideograph of the Basic Multilingual Plane (U+4E00-U+9FFF, which holds
  GB18030's U+4E00-U+9FA5) and of Extension A (U+3400-U+4DBF, in GB18030 since 2000);
* the 199 characters of the 通用规范汉字表 (2013, 8,105 characters) that lie outside those
  two ranges: 196 in Extensions B to E (𬌗, 𫖮, ...), listed in TGH_SUPPLEMENTARY below
  from the kTGH field of Unicode's Unihan database, and three at U+9FCD-U+9FCF (in the
  URO range above). With Debian's unicode-data installed, the script checks the whole
  table against the result;
* Latin, digits, punctuation, full-width forms and the symbols of a Chinese office
  (¥ × № ℃ ① ㎡ ...), plus everything GBK can encode (kana, bopomofo, Greek, Cyrillic,
  box drawing), which is what Chinese input methods produce.

One WOFF2 file serves both: browsers read it through static/css/fonts.css, and WeasyPrint
(settings.PDF_FONT_PATH) decompresses WOFF2 fonts named in @font-face itself.

Run: ``.venv/bin/python scripts/build_font.py`` (a few minutes). Needs
``apt-get install fonts-noto-cjk`` (the source) and, optionally, ``unicode-data`` (the
check); fontTools and brotli come with WeasyPrint.
"""

import bz2
import io
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

SOURCE_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FAMILY = "Noto Sans CJK SC"
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
UNIHAN_MAPPINGS = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
OUT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
OUT_FILE = OUT_DIR / "NotoSansSC-Regular.woff2"

# OpenType language systems of the source whose glyph variants we leave out.
OTHER_REGIONS = {"JAN ", "KOR ", "ZHH ", "ZHT "}

# Inclusive code point ranges; the subsetter keeps whatever of them the source has.
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x024F),  # Latin-1 (¥ × ÷ ± ° ²), Latin Extended-A/B (pinyin ā ǎ ü)
    (0x02B0, 0x02FF),  # spacing modifier letters (ˇ ˉ ˊ ˋ)
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x2000, 0x206F),  # general punctuation (— … “ ” ‰ ※)
    (0x20A0, 0x20CF),  # currency symbols (€)
    (0x2100, 0x214F),  # letterlike symbols (№ ℃ ℉ ℡)
    (0x2150, 0x218F),  # number forms (Ⅰ-Ⅻ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (≤ ≥ ≠ ∑)
    (0x2300, 0x23FF),  # miscellaneous technical
    (0x2460, 0x24FF),  # enclosed alphanumerics (① ⑴ ⒈)
    (0x2500, 0x25FF),  # box drawing, block elements, geometric shapes (■ □ ▲ ○ ● ◎)
    (0x2600, 0x26FF),  # miscellaneous symbols (★ ☆ ♀ ♂)
    (0x2700, 0x27BF),  # dingbats (✓ ✗)
    (0x2E80, 0x2FFF),  # CJK and Kangxi radicals, ideographic description characters
    (0x3000, 0x303F),  # CJK symbols and punctuation (、 。 《 》 【 】 〇)
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x31C0, 0x31EF),  # CJK strokes
    (0x3200, 0x33FF),  # enclosed CJK letters (㈠ ㊣), CJK compatibility (㎡ ㎏)
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE6F),  # CJK compatibility forms, small form variants
    (0xFF00, 0xFFEF),  # halfwidth and fullwidth forms (，：（） ￥ ０-９)
]

# The 通用规范汉字表's characters beyond the Basic Multilingual Plane (Unihan kTGH,
# Unicode 15.0): Extension B (36), C (44), D (8) and E (108).
TGH_SUPPLEMENTARY = (
    "𠅤𠙶𠳐𡎚𡐓𣗋𣲗𣲘𣸣𤧛𤩽𤫉𥔲𥕢𥖨𥻗𦈡𦒍𦙶𦝼𦭜𦰡𧿹𨐈𨙸𨚕𨟠𨭉𨱇𨱏𨱑𨱔𨺙𩽾𩾃𩾌"
    "𪟝𪣻𪤗𪨰𪨶𪩘𪾢𫄧𫄨𫄷𫄸𫇭𫌀𫍣𫍯𫍲𫍽𫐄𫐐𫐓𫑡𫓧𫓯𫓶𫓹𫔍𫔎𫔶𫖮𫖯𫖳𫗧𫗴𫘜𫘝𫘦𫘧𫘨𫘪𫘬"
    "𫚕𫚖𫚭𫛭𫞩𫟅𫟦𫟹𫟼𫠆𫠊𫠜"
    "𫢸𫫇𫭟𫭢𫭼𫮃𫰛𫵷𫶇𫷷𫸩𬀩𬀪𬂩𬃊𬇕𬇙𬇹𬉼𬊈𬊤𬌗𬍛𬍡𬍤𬒈𬒔𬒗𬕂𬘓𬘘𬘡𬘩𬘫𬘬𬘭𬘯𬙂𬙊𬙋"
    "𬜬𬜯𬞟𬟁𬟽𬣙𬣞𬣡𬣳𬤇𬤊𬤝𬨂𬨎𬩽𬪩𬬩𬬭𬬮𬬱𬬸𬬹𬬻𬬿𬭁𬭊𬭎𬭚𬭛𬭤𬭩𬭬𬭯𬭳𬭶𬭸𬭼𬮱𬮿𬯀𬯎"
    "𬱖𬱟𬳵𬳶𬳽𬳿𬴂𬴃𬴊𬶋𬶍𬶏𬶐𬶟𬶠𬶨𬶭𬶮𬷕𬸘𬸚𬸣𬸦𬸪𬹼𬺈𬺓"
)


def find_face_index(ttc_path: Path, family: str) -> int:
    """Index of the face named ``family`` in a collection; the order is not guaranteed."""
    collection = TTCollection(str(ttc_path), lazy=True)
    for index, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == family:
            return index
    raise SystemExit(f"{family!r} not found in {ttc_path}")


def gbk_codepoints() -> set[int]:
    """Every BMP code point GBK can encode, so no symbol an input method offers is missed."""
    points = set()
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        try:
            chr(cp).encode("gbk")
        except UnicodeEncodeError:
            continue
        points.add(cp)
    return points


def wanted_codepoints() -> set[int]:
    points = {cp for start, end in RANGES for cp in range(start, end + 1)}
    points.update(ord(ch) for ch in TGH_SUPPLEMENTARY)
    points.update(gbk_codepoints())
    return points


def drop_other_regions(font: TTFont) -> None:
    """Forget the Japanese, Korean and traditional Chinese language systems.

    Their locl features swap in those regions' glyph shapes (about 18,000 extra glyphs,
    a third of the file); our documents are Simplified Chinese, which uses the face's
    default shapes and the ZHS language system's few locl swaps (quotes, dashes). The
    subsetter then drops the lookups and glyphs that only the removed systems reach.
    """
    for table_tag in ("GSUB", "GPOS"):
        if table_tag not in font:
            continue
        for script in font[table_tag].table.ScriptList.ScriptRecord:
            records = script.Script.LangSysRecord
            records[:] = [r for r in records if r.LangSysTag not in OTHER_REGIONS]
            script.Script.LangSysCount = len(records)


def build_font(face_index: int, codepoints: set[int]) -> TTFont:
    font = TTFont(str(SOURCE_TTC), fontNumber=face_index)
    drop_other_regions(font)
    options = subset.Options()
    # Keep every layout feature (vertical forms, ZHS locl, kerning) and the whole name
    # table: the name records carry the copyright and licence notices the OFL asks us
    # to preserve.
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    return font


def to_woff2(font: TTFont) -> bytes:
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def tgh_codepoints() -> set[int] | None:
    """The 通用规范汉字表 from Unihan's kTGH field, if Debian's unicode-data is installed."""
    if not UNIHAN_MAPPINGS.exists():
        return None
    with bz2.open(UNIHAN_MAPPINGS, "rt", encoding="utf-8") as lines:
        return {int(line[2:].split("\t", 1)[0], 16) for line in lines if "\tkTGH\t" in line}


def check_coverage(cmap: dict[int, str]) -> None:
    required = {cp for cp in range(0x3400, 0x4DB6)} | {cp for cp in range(0x4E00, 0x9FA6)}
    missing = sorted(required - cmap.keys())
    if missing:
        raise SystemExit(f"GB18030 ideographs missing: {[hex(cp) for cp in missing[:20]]}")
    tgh = tgh_codepoints()
    if tgh is None:
        print(f"{UNIHAN_MAPPINGS} missing (apt-get install unicode-data): 通用规范汉字表 unchecked")
        return
    missing = sorted(tgh - cmap.keys())
    if missing:
        raise SystemExit(f"通用规范汉字表 characters missing: {''.join(map(chr, missing))}")
    print(f"all {len(tgh)} characters of the 通用规范汉字表 are in the font")


def licence_text(face_index: int) -> str:
    """The OFL as Debian ships it (inside the deb822 copyright file), under the font's own
    copyright notice: the licence requires both to travel with the font."""
    text = DEBIAN_COPYRIGHT.read_text(encoding="utf-8")
    match = re.search(r"^License: SIL-1\.1\n((?: .*\n)+)", text, flags=re.MULTILINE)
    if not match:
        raise SystemExit(f"OFL text not found in {DEBIAN_COPYRIGHT}")
    # deb822 indents continuation lines by one space and writes blank lines as " .".
    lines = [line[1:] for line in match.group(1).splitlines()]
    body = "\n".join("" if line == "." else line for line in lines).strip("\n")
    name = TTFont(str(SOURCE_TTC), fontNumber=face_index, lazy=True)["name"]
    return (
        f"{name.getDebugName(0)}\n"
        f"{name.getDebugName(7)}\n\n"
        f"{OUT_FILE.name} is a subset of {SOURCE_FAMILY} Regular\n"
        f"(Debian fonts-noto-cjk), made by scripts/build_font.py.\n\n"
        f"{body}\n"
    )


def main() -> int:
    if not SOURCE_TTC.exists():
        print(f"{SOURCE_TTC} missing: apt-get install fonts-noto-cjk", file=sys.stderr)
        return 1
    face_index = find_face_index(SOURCE_TTC, SOURCE_FAMILY)
    font = build_font(face_index, wanted_codepoints())
    cmap = font.getBestCmap()
    check_coverage(cmap)
    woff2 = to_woff2(font)
    print(f"{len(cmap)} code points, {font['maxp'].numGlyphs} glyphs, WOFF2 {len(woff2):,} bytes")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    OUT_FILE.write_bytes(woff2)
    (OUT_DIR / "OFL.txt").write_text(licence_text(face_index), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
