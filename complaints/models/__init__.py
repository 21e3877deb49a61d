"""Cases (complaints, enquiries, repairs, suggestions), the departments that work them,
their actions and their callbacks. One module per concern, every model re-exported here."""

from complaints.models.callbacks import Callback
from complaints.models.cases import Case, CaseAction, Category
from complaints.models.departments import Department
from complaints.models.search import CasePiece

__all__ = [
    "Callback",
    "Case",
    "CaseAction",
    "CasePiece",
    "Category",
    "Department",
]
