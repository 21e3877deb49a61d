"""archives' tables, one module per concern, re-exported here."""

from archives.tables.files import FileTable
from archives.tables.register import (
    AccessLogTable,
    ContractorTable,
    OccupancyTable,
    TenantTable,
    UnitTable,
)

__all__ = [
    "UnitTable",
    "TenantTable",
    "OccupancyTable",
    "ContractorTable",
    "AccessLogTable",
    "FileTable",
]
