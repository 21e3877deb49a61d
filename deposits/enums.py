"""States and kinds of decorations, deposits and their refunds."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.states import StateChoices


class ApplicationStatus(StateChoices):
    SUBMITTED = "submitted", pgettext_lazy("decoration", "Submitted")
    APPROVED = "approved", pgettext_lazy("decoration", "Approved")
    REJECTED = "rejected", pgettext_lazy("decoration", "Rejected")
    IN_PROGRESS = "in_progress", pgettext_lazy("decoration", "In progress")
    FAILED = "failed", _("Inspection failed: to fix")
    PASSED = "passed", _("Inspection passed")
    CLOSED = "closed", pgettext_lazy("decoration", "Closed")


# The manager approves or rejects what the desk registered; the works start; an inspection
# passes them or fails them with items to fix, and a re-inspection follows (it may fail
# again); a decoration that passed is closed once its permits and deposits are done.
ApplicationStatus.describe(
    {
        "submitted": ("warning", "待审批", {"approved", "rejected"}),
        "approved": ("info", "已批准", {"in_progress"}),
        "rejected": ("secondary", "不予批准", set()),
        "in_progress": ("primary", "施工中", {"passed", "failed"}),
        "failed": ("danger", "验收不合格（整改中）", {"passed", "failed"}),
        "passed": ("success", "验收合格", {"closed"}),
        "closed": ("dark", "已结案", set()),
    }
)

# Where a decoration's period may still be extended (延期): approved, not yet accepted.
EXTENDABLE = {ApplicationStatus.APPROVED, ApplicationStatus.IN_PROGRESS, ApplicationStatus.FAILED}
# Where permits may be issued for it.
WORKING = EXTENDABLE
# The decoration was accepted: its final inspection passed.
ACCEPTED = {ApplicationStatus.PASSED, ApplicationStatus.CLOSED}
# A decoration deposit is taken from the registration until the works are accepted.
TAKING = {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.IN_PROGRESS,
    ApplicationStatus.FAILED,
}
# A rejected or closed application is finished: nothing more is filed with it.
FINISHED = {ApplicationStatus.REJECTED, ApplicationStatus.CLOSED}


class InspectionResult(models.TextChoices):
    PASS = "pass", _("Passed")
    FAIL = "fail", _("Failed")


class DepositKind(models.TextChoices):
    DECORATION = "decoration", _("Decoration deposit")
    PERMIT_CARD = "permit_card", _("Permit card deposit")
    OTHER = "other", _("Other deposit")


# The fee of the catalogue each kind is taken on (fees' seeded codes); other kinds: any
# fee of the deposit category.
DEPOSIT_FEES = {
    DepositKind.DECORATION: "decoration_deposit",
    DepositKind.PERMIT_CARD: "permit_card_deposit",
}


class DepositStatus(StateChoices):
    HELD = "held", _("Held")
    REFUND_REQUESTED = "refund_requested", _("Refund requested")
    APPROVED = "approved", pgettext_lazy("deposit", "Refund approved")
    REFUNDED = "refunded", _("Refunded")
    FORFEITED = "forfeited", _("Forfeited")
    CANCELLED = "cancelled", _("Cancelled (receipt voided or reversed)")


# A refund is asked for, approved (or returned: held again) and paid; a deposit may instead
# be forfeited whole (in part, it stays held with less in it); a deposit whose receipt is
# voided or reversed was never taken.
DepositStatus.describe(
    {
        "held": ("primary", "在押", {"refund_requested", "forfeited", "cancelled"}),
        "refund_requested": ("warning", "退款待审批", {"approved", "held"}),
        "approved": ("info", "退款已批准待付款", {"refunded"}),
        "refunded": ("success", "已退还", set()),
        "forfeited": ("danger", "已没收", set()),
        "cancelled": ("secondary", "已作废（收据作废或红冲）", set()),
    }
)

# A deposit in one of these states holds nothing any more.
DEPOSIT_CLOSED = {DepositStatus.REFUNDED, DepositStatus.FORFEITED, DepositStatus.CANCELLED}


class RefundStatus(StateChoices):
    REQUESTED = "requested", pgettext_lazy("refund", "Awaiting approval")
    APPROVED = "approved", pgettext_lazy("refund", "Approved, to pay")
    PAID = "paid", pgettext_lazy("refund", "Paid")
    RETURNED = "returned", pgettext_lazy("refund", "Returned")


# The desk prepares, the manager approves or returns it to the desk, finance pays.
RefundStatus.describe(
    {
        "requested": ("warning", "待审批", {"approved", "returned"}),
        "approved": ("info", "已批准待付款", {"paid"}),
        "paid": ("success", "已付款", set()),
        "returned": ("secondary", "已退回", set()),
    }
)

# A refund under way: it still holds its deposit's money.
REFUND_UNDER_WAY = {RefundStatus.REQUESTED, RefundStatus.APPROVED}
# Its deductions are decided: they count against the deposit.
REFUND_DECIDED = {RefundStatus.APPROVED, RefundStatus.PAID}


class DeductionKind(models.TextChoices):
    DAMAGE = "damage", _("Damage")
    VIOLATION = "violation", _("Violation")
    LOST_CARD = "lost_card", _("Lost permit card")
    UNPAID_CHARGE = "unpaid_charge", _("Unpaid charge")
    OTHER = "other", _("Other")


class GateItem(models.TextChoices):
    """The items of a refund gate's checklist, in the order it lists them."""

    INSPECTION = "inspection", _("Final inspection passed")
    VIOLATIONS = "violations", _("No open violation")
    PERMITS = "permits", _("Every permit returned or charged as lost")
    CARD = "card", _("Permit card returned")
    CHARGES = "charges", _("No unpaid charge of the tenant (or deducted here)")
    RECEIPT = "receipt", _("Original receipt collected")


class DocumentKind(models.TextChoices):
    """What an uploaded file of a decoration application is."""

    DRAWING = "drawing", _("Drawing")
    DOCUMENT = "document", _("Document")


class MoveOutStatus(StateChoices):
    OPEN = "open", pgettext_lazy("moveout", "Open")
    COMPLETE = "complete", pgettext_lazy("moveout", "Complete")
    CANCELLED = "cancelled", pgettext_lazy("moveout", "Cancelled")


# The desk prepares the handover while it is open; the manager confirms it complete (the
# unit is vacant then), or the desk cancels it with a reason.
MoveOutStatus.describe(
    {
        "open": ("warning", "办理中", {"complete", "cancelled"}),
        "complete": ("success", "已收铺", set()),
        "cancelled": ("secondary", "已取消", set()),
    }
)


class Meter(models.TextChoices):
    """The meters read at a shop handover, in the order the sheet lists them."""

    WATER = "water", _("Water")
    ELECTRICITY = "electricity", _("Electricity")
    GAS = "gas", _("Gas")


METER_UNITS = {Meter.WATER: "m³", Meter.ELECTRICITY: "kWh", Meter.GAS: "m³"}
# The fee of the catalogue each meter's consumption is billed as (seeded by deposits' move-out
# migration), and those of a condition item and of a late handover.
METER_FEES = {Meter.WATER: "water_fee", Meter.ELECTRICITY: "electricity_fee", Meter.GAS: "gas_fee"}
CONDITION_FEE = "handover_damage"
LATE_HANDOVER_FEE = "late_handover"


class ChecklistItem(models.TextChoices):
    """The items of a shop handover's checklist, in the order it lists them."""

    KEYS = "keys", _("Keys returned as issued")
    METERS = "meters", _("Final meter readings recorded and billed")
    CONDITION = "condition", _("Condition of the unit recorded")
    DECORATIONS = "decorations", _("Every decoration closed or rejected")
    PERMITS = "permits", _("Every worker permit ended")
    DEPOSITS = "deposits", _("Every deposit refunded or forfeited")
    CHARGES = "charges", _("Every charge up to the handover paid or offset")
    LATE_DAYS = "late_days", _("Late handover days charged")
