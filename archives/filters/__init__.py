"""archives' filters, one module per concern, re-exported here."""

from archives.filters.access import AccessLogFilter, AccessRequestFilter
from archives.filters.files import FileFilter
from archives.filters.loans import LoanFilter
from archives.filters.register import (
    YES_NO,
    ContractorFilter,
    OccupancyFilter,
    TenantFilter,
    UnitFilter,
    by_mobile,
)

__all__ = [
    "YES_NO",
    "by_mobile",
    "UnitFilter",
    "TenantFilter",
    "OccupancyFilter",
    "ContractorFilter",
    "AccessLogFilter",
    "FileFilter",
    "AccessRequestFilter",
    "LoanFilter",
]
