"""Build the Chinese font shipped under static/fonts/ from Debian's fonts-noto-cjk.

PDFs must show Chinese on machines with no Chinese fonts installed, and the desk's
browsers may be offline, so we ship Noto Sans CJK SC Regular (SIL OFL 1.1) ourselves.
The Debian collection is 19 MB; we keep only what a Chinese front desk can type:

* ASCII, Latin-1, general punctuation, CJK symbols and punctuation, fullwidth forms, ¥;
* 〇 and the capital numerals used for amounts in words (零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整负);
* every character encodable in GBK (its 21,003 hanzi plus the symbols, kana, Greek and
  Cyrillic that Chinese input methods produce) if the OTF stays within MAX_OTF_BYTES,
  else every character encodable in GB2312.

Measured on fonts-noto-cjk 1:20220127: GBK (22,228 code points) gives an 11.26 MB OTF,
GB2312 (7,904 code points) a 3.54 MB OTF (2.53 MB WOFF2), so the shipped font is the
GB2312 subset. The script measures on every run and would pick GBK by itself if a
future source font made it small enough. Hanzi outside GB2312 (some personal-name
characters such as 喆 or 堃) fall back to whatever font the viewer has.

Outputs static/fonts/NotoSansSC-Regular.otf (WeasyPrint, settings.PDF_FONT_PATH),
static/fonts/NotoSansSC-Regular.woff2 (browsers) and static/fonts/OFL.txt.

Run: ``.venv/bin/python scripts/build_font.py`` (about two minutes).
Needs ``apt-get install fonts-noto-cjk`` and, for WOFF2, the ``brotli`` package.
"""

import io
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

SOURCE_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FAMILY = "Noto Sans CJK SC"
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
OUT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
OUT_NAME = "NotoSansSC-Regular"
MAX_OTF_BYTES = 6 * 1024 * 1024

# Ranges every variant keeps, whatever the legacy code page covers.
BASE_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement (includes the half-width ¥)
    (0x2000, 0x206F),  # general punctuation
    (0x3000, 0x303F),  # CJK symbols and punctuation (includes 〇)
    (0xFF00, 0xFFEF),  # halfwidth and fullwidth forms (includes the fullwidth ￥)
]
EXTRA_TEXT = "¥￥〇零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整负"


def find_face_index(ttc_path: Path, family: str) -> int:
    """Index of the face named ``family`` in a collection; the order is not guaranteed."""
    collection = TTCollection(str(ttc_path), lazy=True)
    for index, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == family:
            return index
    raise SystemExit(f"{family!r} not found in {ttc_path}")


def encodable(codec: str) -> set[int]:
    """Every BMP code point the legacy code page can encode (beyond ASCII)."""
    points = set()
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        try:
            chr(cp).encode(codec)
        except UnicodeEncodeError:
            continue
        points.add(cp)
    return points


def wanted_codepoints(codec: str) -> set[int]:
    points = {cp for start, end in BASE_RANGES for cp in range(start, end + 1)}
    points.update(ord(ch) for ch in EXTRA_TEXT)
    points.update(encodable(codec))
    return points


def build_otf(face_index: int, codepoints: set[int]) -> bytes:
    # Reload for every build: the subsetter prunes the font object in place.
    font = TTFont(str(SOURCE_TTC), fontNumber=face_index)
    options = subset.Options()
    # Keep vertical metrics/alternates and the name table intact: they are small, and the
    # name records carry the copyright and licence notices the OFL asks us to preserve.
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def to_woff2(otf: bytes) -> bytes:
    """The same font, Brotli-compressed for browsers."""
    font = TTFont(io.BytesIO(otf))
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


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
    notice = name.getDebugName(0)
    return (
        f"{notice}\n"
        f"{name.getDebugName(7)}\n\n"
        f"{OUT_NAME}.otf and {OUT_NAME}.woff2 are subsets of {SOURCE_FAMILY} Regular\n"
        f"(Debian fonts-noto-cjk), made by scripts/build_font.py.\n\n"
        f"{body}\n"
    )


def main() -> int:
    if not SOURCE_TTC.exists():
        print(f"{SOURCE_TTC} missing: apt-get install fonts-noto-cjk", file=sys.stderr)
        return 1
    face_index = find_face_index(SOURCE_TTC, SOURCE_FAMILY)

    chosen = None
    for codec in ("gbk", "gb2312"):
        codepoints = wanted_codepoints(codec)
        otf = build_otf(face_index, codepoints)
        print(f"{codec}: {len(codepoints)} code points, OTF {len(otf) / 1e6:.2f} MB")
        if len(otf) <= MAX_OTF_BYTES:
            chosen = codec
            break
    if chosen is None:
        print("even the GB2312 subset exceeds the size limit", file=sys.stderr)
        return 1

    woff2 = to_woff2(otf)
    print(f"chose {chosen}; WOFF2 {len(woff2) / 1e6:.2f} MB")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / f"{OUT_NAME}.otf").write_bytes(otf)
    (OUT_DIR / f"{OUT_NAME}.woff2").write_bytes(woff2)
    (OUT_DIR / "OFL.txt").write_text(licence_text(face_index), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
