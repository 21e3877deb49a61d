"""The case list's text search, on an index: each case's own searchable text (its
description and its visitor's name) split into its characters and its pairs of characters
in a row, one row a piece.

Chinese words at the desk are often two characters (漏水, 噪音): a trigram index (pg_trgm,
SQLite's FTS5 trigram) cannot serve them, and a substring search reads every case. A pair
is the shortest piece that still narrows the cases down, and the same table and index
serve both databases: a case holds a text of one or two characters exactly when it holds
that piece, and a longer text only if it holds all its pairs, which the search then
confirms on those few cases (complaints.selectors.search).

The tenant's name and the unit's code are not copied here (they change in the register,
not with the case): the search matches their start on their own indexes (config.search).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints.models.cases import Case

# The case's fields whose text the pieces are of.
SEARCHED = ("description", "visitor_name")


def pairs(text: str) -> set[str]:
    """The pairs of characters in a row of ``text``."""
    return {text[i : i + 2] for i in range(len(text) - 1)}


def pieces(text: str) -> set[str]:
    """The characters and the pairs of characters in a row of ``text``, in small letters
    (the search ignores case, as the list's search always has)."""
    text = text.lower()
    return set(text) | pairs(text)


def case_pieces(case: Case) -> set[str]:
    """The pieces of the case's searchable text, field by field (no pair spans two)."""
    found: set[str] = set()
    for field in SEARCHED:
        found |= pieces(getattr(case, field) or "")
    return found


class CasePiece(models.Model):
    """One character, or two in a row, that a case's searchable text holds (written by
    the case services whenever that text is written)."""

    case = models.ForeignKey(
        Case, models.CASCADE, related_name="+", verbose_name=_("case"), db_index=False
    )
    piece = models.CharField(_("piece of text"), max_length=2)

    class Meta:
        verbose_name = _("piece of a case's text")
        verbose_name_plural = _("pieces of cases' text")
        constraints = [
            # The search reads the cases holding a piece by this index (piece first); a
            # case's pieces are rewritten by the one on the case.
            models.UniqueConstraint(fields=["piece", "case"], name="case_piece_unique"),
        ]
        indexes = [models.Index(fields=["case"], name="case_piece_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.piece}"
