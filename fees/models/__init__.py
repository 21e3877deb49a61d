"""The desk's money: fee catalogue, receipts, permits, charges, the daily close.

One module per concern: fields, constraints, __str__ and small properties, no workflows
(those are services). This package re-exports every model so that `fees.models.Receipt`
stays the one name that code, migrations and the admin use.

Balances are computed from rows; stored totals (a receipt's total) are written once, in
the transaction that creates the rows they sum, and never edited afterwards. The stored
figures that reads over years of rows need (a day's totals, what a charge still owes) are
written again from their rows in the transaction of each change that moves them.
"""

from fees.models.books import ReceiptBook, SpoiledPaperReceipt
from fees.models.catalogue import FeeType, NumberSequence
from fees.models.charges import Charge, ChargeBalance, ChargeOffset, DunningNote
from fees.models.days import (
    DailyClose,
    DailyCloseMethod,
    DayCount,
    DayCountAmount,
    DayCountCash,
    Discrepancy,
    Handover,
    Payout,
)
from fees.models.months import MonthLock
from fees.models.permits import Permit
from fees.models.receipts import (
    DiscountApproval,
    Receipt,
    ReceiptLine,
    ReceiptOriginal,
    ReceiptPrint,
    new_token,
    receipt_number,
    receipt_sequence,
    receipt_series,
)
from fees.models.totals import DayFeeTotal, DayMethodTotal

__all__ = [
    "Charge",
    "ChargeBalance",
    "ChargeOffset",
    "DailyClose",
    "DailyCloseMethod",
    "DayCount",
    "DayCountAmount",
    "DayCountCash",
    "DayFeeTotal",
    "DayMethodTotal",
    "DiscountApproval",
    "Discrepancy",
    "DunningNote",
    "FeeType",
    "Handover",
    "MonthLock",
    "NumberSequence",
    "Payout",
    "Permit",
    "Receipt",
    "ReceiptBook",
    "ReceiptLine",
    "ReceiptOriginal",
    "ReceiptPrint",
    "SpoiledPaperReceipt",
    "new_token",
    "receipt_number",
    "receipt_sequence",
    "receipt_series",
]
