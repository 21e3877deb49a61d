"""receipt_chain.txt of the audit pack: the verification of the period's receipt chain
(fees.selectors.chain), so that the pack says whether its receipts are the ones issued.

A Chinese document, like the rest of the pack (its messages come in the pack's language)."""

from django.utils.translation import gettext_lazy

from config.exporters import Period, register
from fees.chain import FORMAT
from fees.exporters.audit_pack import PeriodSection
from fees.selectors.chain import MAX_BREAKS, ChainReport, chain_verify
from fees.selectors.statements import period_receipts


class ReceiptChain(PeriodSection):
    name = "receipt_chain"
    label = gettext_lazy("Receipt chain verification")
    content_type = "text/plain; charset=utf-8"
    stem, extension = "receipt_chain", "txt"
    pack_order = 35

    def pack_part(self, period: Period) -> "ReceiptChainPart":
        return ReceiptChainPart(period)


def chain_text(report: ChainReport, period: Period) -> str:
    lines = [
        f"收据链核验　期间：{period.label}",
        f"每张收据的链值为 SHA-256，计算对象为其内容（编号、日期、付款人、铺位、明细、金额、"
        f"付款方式等）与上一张收据链值的规范化 JSON（格式 {FORMAT}，见系统文档 fees/chain.py）。",
        f"核验收据 {report.checked} 张，比对月结锁定 {report.anchors} 个。",
    ]
    if report.intact:
        lines.append("结果：完整。")
    else:
        lines.append(
            f"结果：断裂 {len(report.breaks)} 处，第一处 {report.first_break.number}。"
            "以下按收据链顺序列出："
        )
        lines += [f"{found.number}\t{found.label}\t{found.message}" for found in report.breaks]
        if report.truncated:
            lines.append(f"（发现 {MAX_BREAKS} 处断裂后核验停止。）")
    return "\n".join(lines) + "\n"


class ReceiptChainPart:
    """Streams the period's receipts once more, hashing each (far cheaper than a page)."""

    COST = 0.01

    def __init__(self, period: Period):
        self.period = period
        self.cost = period_receipts(period.date_from, period.date_to).count() * self.COST
        self.report: ChainReport | None = None

    def write(self, pack) -> None:
        pack.say(gettext_lazy("Verifying the receipt chain"))
        self.report = chain_verify(self.period.date_from, self.period.date_to)
        pack.add("receipt_chain.txt", chain_text(self.report, self.period).encode())
        pack.advance(self.cost)

    def summary(self) -> str:
        if self.report is None:
            return ""
        if self.report.intact:
            return "收据链完整"
        return f"收据链断裂，第一处：{self.report.first_break.number}"


register(ReceiptChain())
