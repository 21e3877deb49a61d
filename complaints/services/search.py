"""The pieces of a case's searchable text (complaints.models.search), written again by the
case services whenever they write that text, in the same transaction."""

from complaints.models import Case, CasePiece
from complaints.models.search import case_pieces


def case_pieces_write(*, case: Case) -> None:
    """The case's pieces are those of its text as saved: stale ones go, new ones come."""
    CasePiece.objects.filter(case=case).delete()
    CasePiece.objects.bulk_create(
        CasePiece(case=case, piece=piece) for piece in sorted(case_pieces(case))
    )
