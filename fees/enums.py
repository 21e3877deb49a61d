"""States and kinds of the desk's money records."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class ReceiptStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    VOID_REQUESTED = "void_requested", _("Void requested")
    VOID = "void", _("Void")


class PermitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    RETURNED = "returned", _("Returned")
    LOST = "lost", _("Lost")
    CANCELLED = "cancelled", _("Cancelled (receipt voided)")


class DunningChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    NOTICE = "notice", _("Written notice")
    WECHAT = "wechat", _("WeChat")


class DayState(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    HANDED_OVER = "handed_over", _("Handed over")


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
