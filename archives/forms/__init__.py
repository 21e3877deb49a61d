"""archives' forms, one module per concern, re-exported here."""

from archives.forms.files import (
    RETENTION_FORM_CHOICES,
    DocumentForm,
    FileMoveForm,
    FileOpenForm,
)
from archives.forms.register import (
    AREA_MESSAGE,
    LEASE_END_DAYS_AHEAD,
    MAX_AREA,
    MAX_LEASE_YEARS,
    MOVE_IN_DAYS_AHEAD,
    ContractorForm,
    MoveInForm,
    TenantForm,
    UnitCodeField,
    UnitForm,
    contractor_field,
    loose_mobile_field,
    tenant_field,
)

__all__ = [
    "MAX_AREA",
    "MAX_LEASE_YEARS",
    "MOVE_IN_DAYS_AHEAD",
    "LEASE_END_DAYS_AHEAD",
    "AREA_MESSAGE",
    "UnitForm",
    "loose_mobile_field",
    "TenantForm",
    "ContractorForm",
    "UnitCodeField",
    "contractor_field",
    "tenant_field",
    "MoveInForm",
    "RETENTION_FORM_CHOICES",
    "FileOpenForm",
    "FileMoveForm",
    "DocumentForm",
]
