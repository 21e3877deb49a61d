"""Text typed into a filter, the search box or a lookup field, matched by its start.

Names at the desk are short (张伟 is two characters): trigram indexes (pg_trgm, SQLite's
FTS5 trigram) cannot serve a pattern under three characters, and a substring search reads
every row of the register or of the receipts. The start of a name, a code or a number is
what the desk types, and a B-tree index serves it on both databases:

- PostgreSQL: ``LIKE 'text%'`` (input's ``%`` and ``_`` escaped) on an index with the
  ``varchar_pattern_ops`` operator class, which compares character by character whatever
  the database's collation (a range ``>= text`` on a language collation is not a prefix).
- SQLite: ``field >= text AND field < text || U+10FFFF`` on a plain index (SQLite compares
  text by code point; its LIKE is ASCII case-insensitive and, with ESCAPE, never indexed).

Both are case-sensitive: unit codes and credit codes are stored in capitals (callers
pass ``upper=True``), Chinese has no case.

Each field searched this way has a ``prefix_index`` (named ``<table>_<field>_prefix``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import django_filters as df
from django import forms
from django.contrib.auth.decorators import permission_required
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

# Above every character a name can hold: the upper end of a prefix's range on SQLite.
_LAST_CHARACTER = "\U0010ffff"
# What a suggestion puts into a lookup field: the record's label and its key, "张伟 #12".
_WITH_KEY = re.compile(r"^(?P<name>.*?)\s*#(?P<pk>\d{1,18})$")
# Enough suggestions to pick from while typing, few enough to read at a glance.
SUGGESTIONS = 10


def prefix_index(field: str, name: str) -> models.Index:
    """The index that serves :func:`starts_with` on ``field`` (its operator class is for
    PostgreSQL; SQLite ignores it and builds a plain index)."""
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


def starts_with(field: str, text: str) -> Q:
    """Rows whose ``field`` (a lookup path, joins allowed) begins with ``text``, exactly as
    typed: no wildcard, no change of case."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": text})
    return Q(**{f"{field}__gte": text, f"{field}__lt": text + _LAST_CHARACTER})


def any_starts_with(fields, text: str) -> Q:
    """Rows where one of ``fields`` begins with ``text`` (each field by its own index)."""
    matches = Q()
    for field in fields:
        matches |= starts_with(field, text)
    return matches


class StartsWithFilter(df.CharFilter):
    """A list's text filter: rows where one of ``fields`` begins with the text typed
    (surrounding spaces dropped; capitals for codes with ``upper``). Its help says so."""

    def __init__(self, *, fields, upper: bool = False, **kwargs):
        kwargs.setdefault("help_text", _("Matches the start."))
        super().__init__(**kwargs)
        self.fields, self.upper = list(fields), upper

    def filter(self, qs, value):
        text = (value or "").strip()
        if not text:
            return qs
        return qs.filter(any_starts_with(self.fields, text.upper() if self.upper else text))


@dataclass(frozen=True)
class Lookup:
    """How the records of one table are found by the start of what is typed: ``names``
    as typed, ``codes`` in capitals, in the order of ``queryset``; ``label`` is how a record
    reads in a suggestion and in a message."""

    queryset: QuerySet
    names: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    label: Callable[[models.Model], str] = str

    def find(self, text: str) -> QuerySet:
        text = text.strip()
        matches = any_starts_with(self.names, text) | any_starts_with(self.codes, text.upper())
        return self.queryset.filter(matches)

    def suggestions(self, text: str) -> list[tuple[str, models.Model]]:
        """What a <datalist> offers for ``text``: at most SUGGESTIONS (value, record)."""
        if not text.strip():
            return []
        return [(self.typed(r), r) for r in self.find(text)[:SUGGESTIONS]]

    def chosen(self, text: str):
        """The record whose suggestion ``text`` is ("张伟 #12"), or None: a key with another
        record's label is not taken on trust."""
        keyed = _WITH_KEY.match(text)
        if keyed is None:
            return None
        record = self.queryset.filter(pk=keyed["pk"]).first()
        return record if record is not None and self.label(record) == keyed["name"] else None

    def typed(self, record) -> str:
        """What a suggestion puts into the field: the label and the record's key, so that
        two records of the same name are told apart."""
        return f"{self.label(record)} #{record.pk}"


class LookupInput(forms.TextInput):
    """A text input and its <datalist>, which htmx refills from ``suggest_url`` (sending
    the text under the field's name) while the desk types; without scripts, a plain
    text input."""

    suggest_url = ""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "autocomplete": "off"}
        if not self.suggest_url:
            return super().render(name, value, attrs, renderer)
        options = f"{attrs.get('id') or name}-suggestions"
        attrs.update(
            {
                "list": options,
                "hx-get": self.suggest_url,
                "hx-trigger": "input changed delay:250ms",
                "hx-sync": "this:replace",
                "hx-target": f"#{options}",
                "hx-swap": "innerHTML",
            }
        )
        return format_html(
            '{}<datalist id="{}"></datalist>', super().render(name, value, attrs, renderer), options
        )


class LookupField(forms.CharField):
    """A record of a table that grows with the street, typed rather than chosen from a
    <select> of every row: the start of its name or code, with suggestions as one types
    (``suggest_url``), and checked here without any script: exactly one record must
    match, else the field says why."""

    widget = LookupInput

    def __init__(self, *, lookup: Lookup, suggest_url="", **kwargs):
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)
        self.lookup = lookup
        self.widget.suggest_url = suggest_url

    def prepare_value(self, value):
        # An initial record (or its key) shows as a suggestion would put it.
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            value = self.lookup.queryset.filter(pk=value).first() or ""
        if isinstance(value, models.Model):
            return self.lookup.typed(value)
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        label = self.lookup.label
        chosen = self.lookup.chosen(text)
        if chosen is not None:
            return chosen
        found = list(self.lookup.find(text)[: SUGGESTIONS + 1])
        exact = [record for record in found if label(record) == text]
        if len(exact) == 1:
            # 张伟 is 张伟, not one of 张伟 and 张伟明.
            return exact[0]
        if not found:
            raise forms.ValidationError(
                _("Nothing in the register starts with “%(text)s”."),
                code="unknown",
                params={"text": text},
            )
        if len(found) > 1:
            names = "、".join(self.lookup.typed(r) for r in found[:5])
            raise forms.ValidationError(
                _("Several match (%(names)s%(more)s): type more, or choose a suggestion."),
                code="ambiguous",
                params={"names": names, "more": "…" if len(found) > 5 else ""},
            )
        return found[0]


def suggestions_view(permission: str, lookup: Lookup):
    """The suggestions of a lookup field as <option>s for its <datalist>: the text typed
    is the one value of the query string; 403 without the permission that reads the
    records (the same as their list's)."""

    @permission_required(permission, raise_exception=True)
    @require_safe
    def view(request):
        text = next(iter(request.GET.values()), "")[:100]
        return render(request, "includes/suggestions.html", {"options": lookup.suggestions(text)})

    return view
