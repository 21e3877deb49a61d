"""Every message the code uses is in the committed Chinese catalogue.

Django's makemessages extracts the message ids of a copy of the project's apps and
templates into a throwaway catalogue; an id it finds that locale/zh_Hans lacks is a
string someone added without translating it, and would show in English.
"""

import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from tests.config.test_translations import PO, unquote

THIRD_PARTY = Path(settings.BASE_DIR) / "third_party_locale" / "zh_Hans" / "LC_MESSAGES"


def message_ids(po: Path) -> set[tuple[str | None, str]]:
    """(context, msgid) of every active entry, plural ones included."""
    found = set()
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            if match := re.match(r"(msgctxt|msgid|msgid_plural|msgstr\S*) (.*)", line):
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if unquote(fields.get("msgid", ['""'])):
            context = unquote(fields["msgctxt"]) if "msgctxt" in fields else None
            found.add((context, unquote(fields["msgid"])))
    return found


def project_sources() -> list[Path]:
    """The project's own apps and template directories (not the libraries')."""
    base = Path(settings.BASE_DIR)
    app_dirs = [
        Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == base
    ]
    template_dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    return app_dirs + template_dirs


# Planted in the copy: proves the extraction sees new strings (an empty one would pass).
PLANTED = "A message nobody translated"


@pytest.fixture
def extracted(tmp_path, settings, monkeypatch) -> Path:
    """makemessages' catalogue of a copy of the sources, with one planted new string."""
    if shutil.which("xgettext") is None:
        message = "makemessages needs GNU gettext: apt-get install gettext"
        if os.environ.get("E2E_REQUIRED", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"E2E_REQUIRED is set: {message}")
        pytest.skip(message)
    source = tmp_path / "project"
    for directory in project_sources():
        shutil.copytree(
            directory, source / directory.name, ignore=shutil.ignore_patterns("__pycache__")
        )
    (source / "fees" / "planted.py").write_text(
        f'from django.utils.translation import gettext as _\n\nMESSAGE = _("{PLANTED}")\n'
    )
    (source / "locale").mkdir()
    # makemessages writes where LOCALE_PATHS points: here, never the committed catalogue.
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["zh_Hans"], no_location=True, verbosity=0)
    return source / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_sources_copied_are_the_projects():
    assert sorted(path.name for path in project_sources()) == [
        "archives",
        "attendance",
        "complaints",
        "config",
        "deposits",
        "fees",
        "templates",
    ]


def test_every_message_of_the_code_is_in_the_catalogue(extracted):
    missing = sorted(message_ids(extracted) - message_ids(PO), key=str)
    # Anything besides the planted string was added to the code without its Chinese:
    # append it to locale/zh_Hans/LC_MESSAGES/django.po (do not rerun makemessages there).
    assert missing == [(None, PLANTED)]


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_third_party_catalogues_are_compiled_and_complete(domain):
    po = THIRD_PARTY / f"{domain}.po"
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    ids = message_ids(po)
    assert ids != set()
    untranslated = [
        msgid
        for context, msgid in ids
        if (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) == msgid
    ]
    assert untranslated == []
