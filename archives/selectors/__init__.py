"""archives' selectors, one module per concern, re-exported here."""

from archives.selectors.access import (
    FileAccess,
    access_log_rows,
    access_requests_for,
    file_access,
    pending_access_requests,
)
from archives.selectors.files import (
    Catalogue,
    CatalogueLine,
    file_catalogue,
    file_documents,
    file_list,
    missing_count,
    open_file_of,
)
from archives.selectors.loans import (
    loans_due_on,
    loans_listed,
    open_loan_of,
    open_loans,
    open_loans_of,
    overdue_loans,
)
from archives.selectors.register import (
    SearchResults,
    SearchScope,
    current_occupancy,
    leases_ending,
    search_register,
    tenants_due_for_verification,
    unit_counts_by_status,
)

__all__ = [
    "FileAccess",
    "file_access",
    "access_requests_for",
    "pending_access_requests",
    "access_log_rows",
    "loans_listed",
    "loans_due_on",
    "open_loans",
    "overdue_loans",
    "open_loans_of",
    "open_loan_of",
    "tenants_due_for_verification",
    "leases_ending",
    "unit_counts_by_status",
    "current_occupancy",
    "SearchScope",
    "SearchResults",
    "search_register",
    "missing_count",
    "file_list",
    "CatalogueLine",
    "Catalogue",
    "file_catalogue",
    "file_documents",
    "open_file_of",
]
