"""The case list's text search, read through indexes on both databases: the pieces of the
cases' own text (complaints.models.search) and the start of the tenant's name and of the
unit's code (config.search). A case number or a whole unit code is looked up by the
filter before it comes here."""

from django.db.models import Count, Q

from archives.models import Tenant, Unit
from complaints.models import Case, CasePiece
from complaints.models.search import pairs
from config.search import starts_with


def text_pieces(text: str) -> list[str]:
    """The pieces a case's text must hold to hold ``text``: the text itself when it is one
    or two characters long (then holding it is holding the piece), else its pairs."""
    text = text.lower()
    if len(text) <= 2:
        return [text]
    return sorted(pairs(text))


def holding_text(text: str):
    """The keys of the cases whose description or visitor's name holds ``text`` (ignoring
    case): those that hold all its pieces, found on the pieces' index; for a text of three
    characters or more, those few cases are then read to confirm it is there in a row."""
    wanted = text_pieces(text)
    holders = CasePiece.objects.filter(piece__in=wanted)
    if len(wanted) > 1:
        # Each (piece, case) is one row: a case holds them all when it has as many rows.
        holders = holders.values("case").annotate(held=Count("*")).filter(held=len(wanted))
    keys = holders.values("case")
    if len(text) <= 2:
        return keys
    confirmed = Q(description__icontains=text) | Q(visitor_name__icontains=text)
    return Case.objects.filter(confirmed, pk__in=keys).order_by().values("pk")


def cases_matching(text: str) -> Q:
    """The cases whose description or visitor's name holds ``text``, whose tenant's name
    starts with it, or whose unit's code starts with it (in capitals). One condition on
    the cases' key, so that each part is read through its own index and the databases
    never test every case."""
    text = text.strip()
    tenants = Tenant.objects.filter(starts_with("name", text)).values("pk")
    units = Unit.objects.filter(starts_with("code", text.upper())).values("pk")
    # UNION ALL: a key found twice changes nothing in an IN, and keeping the duplicates
    # spares the database a sorted set of every key found (half the count's time on 8,000).
    found = holding_text(text).union(
        Case.objects.filter(tenant__in=tenants).order_by().values("pk"),
        Case.objects.filter(unit__in=units).order_by().values("pk"),
        all=True,
    )
    return Q(pk__in=found)
