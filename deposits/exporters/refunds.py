"""The audit pack's section of deposits (deposit_refunds.xlsx): the refunds and deductions
of the pack's period. Registered with a ``pack_order``, it joins every pack without fees
importing deposits (config.packs).

A refund belongs to the period it was requested in and to the one it was paid in (one
requested in March and paid in April is in both packs); a deduction to the period it was
recorded in, with whether it is kept from its deposit (forfeited, or its request approved)
or not (its request waiting or returned)."""

from django.utils.translation import gettext_lazy

from config.excel import XLSX_CONTENT_TYPE, Column, Sheet, streamed_workbook
from config.exporters import Period, register
from config.people import person_name
from deposits.selectors.ledger import period_deductions, period_refunds
from fees.exporters.audit_pack import PeriodSection

REFUND_COLUMNS = [
    Column("退款编号", "int"),
    Column("保证金编号", "int"),
    Column("保证金类型", width=14),
    Column("铺位", width=10),
    Column("装修申请", width=14),
    Column("收款人", width=16),
    Column("状态", width=12),
    Column("申请时在押", "money"),
    Column("扣款", "money"),
    Column("退款金额", "money"),
    Column("收据原件已收回", width=8),
    Column("经办人", width=10),
    Column("申请时间", "datetime"),
    Column("审批人", width=10),
    Column("审批时间", "datetime"),
    Column("退回原因", width=24),
    Column("付款人", width=10),
    Column("付款日期", "date"),
    Column("付款方式", width=10),
    Column("付款凭证号", width=16),
]

DEDUCTION_COLUMNS = [
    Column("扣款编号", "int"),
    Column("保证金编号", "int"),
    Column("铺位", width=10),
    Column("所属退款", "int"),
    Column("类别", width=12),
    Column("原因", width=30),
    Column("金额", "money"),
    Column("是否计入", width=8),
    Column("抵扣应收款", width=24),
    Column("记录人", width=10),
    Column("记录时间", "datetime"),
]


class DepositRefunds(PeriodSection):
    name = "deposit_refunds"
    label = gettext_lazy("Deposit refunds and deductions")
    content_type = XLSX_CONTENT_TYPE
    stem, extension = "deposit_refunds", "xlsx"
    # After the daily closes (40), before the history of changes (50).
    pack_order = 45

    def pack_part(self, period: Period) -> "DepositRefundsPart":
        return DepositRefundsPart(period)


class DepositRefundsPart:
    """deposit_refunds.xlsx: a sheet of refunds and one of deductions."""

    cost = 0.0  # a row a refund: next to nothing beside the receipts

    def __init__(self, period: Period):
        self.period = period
        self.refunds = period_refunds(period)
        self.deductions = period_deductions(period)

    def write(self, pack) -> None:
        pack.say(gettext_lazy("Deposit refunds and deductions"))
        pack.add(
            "deposit_refunds.xlsx",
            streamed_workbook(
                Sheet("保证金退款", REFUND_COLUMNS, self._refund_rows(), totals="合计"),
                Sheet("保证金扣款", DEDUCTION_COLUMNS, self._deduction_rows(), totals="合计"),
            ),
        )

    def _refund_rows(self):
        for refund in self.refunds:
            deposit = refund.deposit
            yield [
                refund.pk,
                deposit.pk,
                deposit.get_kind_display(),
                refund.unit_code,
                deposit.application.number if deposit.application else "",
                refund.payee,
                refund.get_status_display(),
                refund.held,
                refund.deducted,
                refund.amount,
                "是" if refund.receipt_collected else "否",
                person_name(refund.prepared_by),
                refund.prepared_at,
                person_name(refund.decided_by),
                refund.decided_at,
                refund.return_comment,
                person_name(refund.paid_by),
                refund.paid_on,
                refund.get_method_display() if refund.method else "",
                refund.reference,
            ]

    def _deduction_rows(self):
        for deduction in self.deductions:
            yield [
                deduction.pk,
                deduction.deposit_id,
                deduction.unit_code,
                deduction.refund_id,
                deduction.get_kind_display(),
                deduction.reason,
                deduction.amount,
                "是" if deduction.counts else "否",
                str(deduction.charge) if deduction.charge else "",
                person_name(deduction.recorded_by),
                deduction.recorded_at,
            ]

    def summary(self) -> str:
        return f"保证金退款 {self.refunds.count()} 笔、扣款 {self.deductions.count()} 笔"


register(DepositRefunds())
