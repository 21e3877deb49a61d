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


class ChainBreakKind(models.TextChoices):
    """What the verification of the receipt chain found wrong at a receipt (fees.chain)."""

    CHANGED = "changed", _("Content changed")
    MISSING = "missing", _("Receipt missing")
    LINK = "link", _("Link broken")
    ANCHOR = "anchor", _("Differs from the month lock")


class ReceiptStatus(StateChoices):
    ISSUED = "issued", _("Issued")
    VOID_REQUESTED = "void_requested", _("Void requested")
    VOID = "void", _("Void")


# A void is asked for, then decided: approved (void for good) or refused (issued again).
ReceiptStatus.describe(
    {
        # value: (badge colour, printed label, the states it may become)
        "issued": ("success", "正常", {"void_requested"}),
        "void_requested": ("warning", "待作废", {"void", "issued"}),
        "void": ("secondary", "作废", set()),
    }
)


class ApprovalOutcome(models.TextChoices):
    """How one try of the manager's on-the-spot discount approval ended."""

    GRANTED = "granted", _("Approved")
    WRONG_PASSWORD = "wrong_password", _("Wrong user name or password")
    NOT_ALLOWED = "not_allowed", _("The user may not approve discounts")
    OWN_RECEIPT = "own_receipt", _("The approver is the cashier")
    THROTTLED = "throttled", _("Refused: too many wrong passwords")


class PermitStatus(StateChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    RETURNED = "returned", _("Returned")
    LOST = "lost", _("Lost")
    CANCELLED = "cancelled", _("Cancelled (receipt voided)")


# A card in use (active, or expired but not back) is returned or reported lost; voiding the
# receipt that paid for a permit cancels it whatever became of the card.
PermitStatus.describe(
    {
        "active": ("success", "有效", {"expired", "returned", "lost", "cancelled"}),
        "expired": ("warning", "已过期", {"returned", "lost", "cancelled"}),
        "returned": ("secondary", "已交回", {"cancelled"}),
        "lost": ("danger", "已挂失", {"cancelled"}),
        "cancelled": ("dark", "已作废（收据作废）", set()),
    }
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
    {
        "open": ("primary", "未收", {"part_paid", "settled", "cancelled"}),
        "part_paid": ("warning", "部分已收", {"open", "settled"}),
        "settled": ("success", "已结清", {"open", "part_paid"}),
        "cancelled": ("secondary", "已取消", set()),
    }
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
    {
        "open": ("primary", "未提交", {"submitted"}),
        "submitted": ("warning", "已提交待审核", {"approved", "open"}),
        "approved": ("info", "已审核待交款", {"handed_over"}),
        "handed_over": ("success", "已交款", set()),
    }
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
