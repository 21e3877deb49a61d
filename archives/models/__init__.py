"""The register everyone points to (units, tenants, occupancies, contractors) and the
access log of personal data. One module per concern; every model is re-exported here, so
that ``archives.models.Unit`` is the one name code, migrations and tests use."""

from archives.models.imports import ImportStatus, RegisterImport
from archives.models.register import (
    UNIT_CODE_RE,
    AccessKind,
    AccessLog,
    Contractor,
    IdDocType,
    Occupancy,
    OccupancyRole,
    Tenant,
    TenantKind,
    Unit,
    UnitStatus,
    id_doc_label,
    tenant_name_for,
    validate_unit_code,
)

__all__ = [
    "UNIT_CODE_RE",
    "validate_unit_code",
    "UnitStatus",
    "Unit",
    "TenantKind",
    "IdDocType",
    "id_doc_label",
    "Tenant",
    "tenant_name_for",
    "OccupancyRole",
    "Occupancy",
    "Contractor",
    "AccessKind",
    "AccessLog",
    "ImportStatus",
    "RegisterImport",
]
