"""archives' filters, one module per concern, re-exported here."""

from archives.filters.files import FileFilter
from archives.filters.register import (
    YES_NO,
    AccessLogFilter,
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
]
