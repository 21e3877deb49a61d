"""archives' tables, one module per concern, re-exported here."""

from archives.tables.access import AccessLogTable, AccessRequestTable
from archives.tables.files import FileTable
from archives.tables.loans import LoanTable
from archives.tables.register import (
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
    "AccessRequestTable",
    "LoanTable",
]
