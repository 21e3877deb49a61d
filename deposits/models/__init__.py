"""Decoration applications, violations, deposits and their refunds.

One module per concern: fields, constraints, __str__ and small properties, no workflows
(those are services). Every model is re-exported here, so that ``deposits.models.Deposit``
is the one name code, migrations and tests use.

Every record is permanent (config.permanence): nothing deletes one, and what is written
once stays; states move through the services. Balances are computed from rows (deductions,
refunds), never stored as running totals; the ledger's stored figures (LedgerDay,
LedgerUnit) are copies written again from those rows, not records.
"""

from deposits.models.applications import (
    ApplicationExtension,
    ApplicationPermit,
    DecorationApplication,
    Inspection,
    InspectionItem,
)
from deposits.models.deposits import Deposit
from deposits.models.ledger import LedgerDay, LedgerUnit
from deposits.models.moveouts import MoveOut, MoveOutItem, MoveOutReading
from deposits.models.refunds import Deduction, DeductionPhoto, Refund
from deposits.models.uploads import ApplicationDocument, InspectionPhoto, ViolationPhoto
from deposits.models.violations import Violation

__all__ = [
    "ApplicationDocument",
    "InspectionPhoto",
    "ViolationPhoto",
    "ApplicationExtension",
    "ApplicationPermit",
    "DecorationApplication",
    "Deduction",
    "DeductionPhoto",
    "Deposit",
    "Inspection",
    "InspectionItem",
    "LedgerDay",
    "LedgerUnit",
    "MoveOut",
    "MoveOutItem",
    "MoveOutReading",
    "Refund",
    "Violation",
]
