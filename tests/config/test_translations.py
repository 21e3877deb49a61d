"""The Chinese catalogue is complete and the committed .mo is compiled from the .po."""

import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def unquote(lines: list[str]) -> str:
    return (
        "".join(re.fullmatch(r'"(.*)"', line.strip()).group(1) for line in lines)
        .encode("raw_unicode_escape")
        .decode("unicode_escape")
    )


def entries():
    """(context, msgid, msgstr, flags) of each active entry, plurals left out."""
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines) or any(
            line.startswith("msgid_plural") for line in lines
        ):
            continue
        fields, current = {}, None
        for line in lines:
            if line.startswith("#,"):
                fields["flags"] = line
            elif match := re.match(r"(msgctxt|msgid|msgstr) (.*)", line):
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        msgid = unquote(fields["msgid"])
        if msgid:
            context = unquote(fields["msgctxt"]) if "msgctxt" in fields else None
            yield context, msgid, unquote(fields["msgstr"]), fields.get("flags", "")


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = [msgid for _c, msgid, msgstr, _f in entries() if not msgstr]
    fuzzy = [msgid for _c, msgid, _s, flags in entries() if "fuzzy" in flags]
    assert (untranslated, fuzzy) == ([], [])


def test_the_compiled_catalogue_matches_the_source():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for context, msgid, msgstr, _flags in entries()
        if (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr
    ]
    assert stale == []
