"""States and kinds of the desk's money records."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.money import ZERO
from config.states import StateChoices


class FeeCategory(models.TextChoices):
    FEE = "fee", _("Fee")
    DEPOSIT = "deposit", _("Deposit")
    OTHER = "other", _("Other charge")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Bank card")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    TRANSFER = "transfer", _("Bank transfer")


class PayerKind(models.TextChoices):
    TENANT = "tenant", _("Tenant")
    CONTRACTOR = "contractor", _("Contractor")
    PERSON = "person", _("Named person")


class ReceiptStatus(StateChoices):
    ISSUED = "issued", _("Issued")
    VOID_REQUESTED = "void_requested", _("Void requested")
    VOID = "void", _("Void")


# A void is asked for, then decided: approved (void for good) or refused (issued again).
ReceiptStatus.describe(
    allowed={
        ReceiptStatus.ISSUED: {ReceiptStatus.VOID_REQUESTED},
        ReceiptStatus.VOID_REQUESTED: {ReceiptStatus.VOID, ReceiptStatus.ISSUED},
        ReceiptStatus.VOID: set(),
    },
    badges={
        ReceiptStatus.ISSUED: "success",
        ReceiptStatus.VOID_REQUESTED: "warning",
        ReceiptStatus.VOID: "secondary",
    },
    printed={
        ReceiptStatus.ISSUED: "正常",
        ReceiptStatus.VOID_REQUESTED: "待作废",
        ReceiptStatus.VOID: "作废",
    },
)


class PermitStatus(StateChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    RETURNED = "returned", _("Returned")
    LOST = "lost", _("Lost")
    CANCELLED = "cancelled", _("Cancelled (receipt voided)")


# A card in use (active, or expired but not back) is returned or reported lost; voiding the
# receipt that paid for a permit cancels it whatever became of the card.
PermitStatus.describe(
    allowed={
        PermitStatus.ACTIVE: {
            PermitStatus.EXPIRED,
            PermitStatus.RETURNED,
            PermitStatus.LOST,
            PermitStatus.CANCELLED,
        },
        PermitStatus.EXPIRED: {PermitStatus.RETURNED, PermitStatus.LOST, PermitStatus.CANCELLED},
        PermitStatus.RETURNED: {PermitStatus.CANCELLED},
        PermitStatus.LOST: {PermitStatus.CANCELLED},
        PermitStatus.CANCELLED: set(),
    },
    badges={
        PermitStatus.ACTIVE: "success",
        PermitStatus.EXPIRED: "warning",
        PermitStatus.RETURNED: "secondary",
        PermitStatus.LOST: "danger",
        PermitStatus.CANCELLED: "dark",
    },
    printed={
        PermitStatus.ACTIVE: "有效",
        PermitStatus.EXPIRED: "已过期",
        PermitStatus.RETURNED: "已交回",
        PermitStatus.LOST: "已挂失",
        PermitStatus.CANCELLED: "已作废（收据作废）",
    },
)


class ChargeStatus(StateChoices):
    """Where a charge stands, read from its balance (nothing stores it but ``cancelled``)."""

    # "Open" alone is already the verb of the "open a record" links: these carry a context.
    OPEN = "open", pgettext_lazy("charge status", "Open")
    PART_PAID = "part_paid", pgettext_lazy("charge status", "Part paid")
    SETTLED = "settled", pgettext_lazy("charge status", "Settled")
    CANCELLED = "cancelled", pgettext_lazy("charge status", "Cancelled")

    @classmethod
    def of(cls, charge) -> "ChargeStatus":
        """The status of a charge read with its balance (selectors.charges.charge_balances)."""
        if charge.cancelled:
            return cls.CANCELLED
        if charge.outstanding <= ZERO:
            return cls.SETTLED
        if charge.settled > ZERO:
            return cls.PART_PAID
        return cls.OPEN


# Payments, voids and reversals move a charge between open, part paid and settled; only a
# charge that nothing was paid on is cancelled (charge_cancel also refuses any receipt line).
ChargeStatus.describe(
    allowed={
        ChargeStatus.OPEN: {ChargeStatus.PART_PAID, ChargeStatus.SETTLED, ChargeStatus.CANCELLED},
        ChargeStatus.PART_PAID: {ChargeStatus.OPEN, ChargeStatus.SETTLED},
        ChargeStatus.SETTLED: {ChargeStatus.OPEN, ChargeStatus.PART_PAID},
        ChargeStatus.CANCELLED: set(),
    },
    badges={
        ChargeStatus.OPEN: "primary",
        ChargeStatus.PART_PAID: "warning",
        ChargeStatus.SETTLED: "success",
        ChargeStatus.CANCELLED: "secondary",
    },
    printed={
        ChargeStatus.OPEN: "未收",
        ChargeStatus.PART_PAID: "部分已收",
        ChargeStatus.SETTLED: "已结清",
        ChargeStatus.CANCELLED: "已取消",
    },
)


class DunningChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    NOTICE = "notice", _("Written notice")
    WECHAT = "wechat", _("WeChat")


class DayState(StateChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    HANDED_OVER = "handed_over", _("Handed over")


# The desk submits, the manager approves or returns it to the desk, finance takes the cash.
DayState.describe(
    allowed={
        DayState.OPEN: {DayState.SUBMITTED},
        DayState.SUBMITTED: {DayState.APPROVED, DayState.OPEN},
        DayState.APPROVED: {DayState.HANDED_OVER},
        DayState.HANDED_OVER: set(),
    },
    badges={
        DayState.OPEN: "primary",
        DayState.SUBMITTED: "warning",
        DayState.APPROVED: "info",
        DayState.HANDED_OVER: "success",
    },
    printed={
        DayState.OPEN: "未提交",
        DayState.SUBMITTED: "已提交待审核",
        DayState.APPROVED: "已审核待交款",
        DayState.HANDED_OVER: "已交款",
    },
)


# Banknotes and coins counted at the close, in yuan.
DENOMINATIONS = [
    Decimal("100"),
    Decimal("50"),
    Decimal("20"),
    Decimal("10"),
    Decimal("5"),
    Decimal("1"),
    Decimal("0.5"),
    Decimal("0.1"),
]


class JobStatus(StateChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A job runs, then ends done or failed; one whose worker died before it ran is failed too.
JobStatus.describe(
    allowed={
        JobStatus.QUEUED: {JobStatus.RUNNING, JobStatus.FAILED},
        JobStatus.RUNNING: {JobStatus.DONE, JobStatus.FAILED},
        JobStatus.DONE: set(),
        JobStatus.FAILED: set(),
    },
    badges={
        JobStatus.QUEUED: "primary",
        JobStatus.RUNNING: "primary",
        JobStatus.DONE: "success",
        JobStatus.FAILED: "danger",
    },
    printed={
        JobStatus.QUEUED: "排队中",
        JobStatus.RUNNING: "进行中",
        JobStatus.DONE: "已完成",
        JobStatus.FAILED: "失败",
    },
)
