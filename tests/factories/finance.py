"""A closed month of receipts, built through the desk's own services, for the finance tests.

Receipts are issued today (the services allow nothing else) and then moved to their past
date; each past day is counted, submitted, approved and handed over through the services.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from fees.models import Charge, DailyClose, FeeType, Receipt
from fees.selectors.days import cash_to_hand_over, day_get
from fees.services import days
from fees.services.receipts import receipt_approve_void, receipt_request_void, receipt_reverse
from tests.factories.fees import ChargeFactory, ReceiptFactory, move

__all__ = [
    "billed_charge",
    "build_month",
    "close_day",
    "issue",
    "move",
    "previous_month",
    "receipt_post",
    "void",
]

D = Decimal


def previous_month(today: date | None = None) -> tuple[int, int]:
    first = (today or timezone.localdate()).replace(day=1)
    last = first - timedelta(days=1)
    return last.year, last.month


def issue(by, *lines, method="cash", reference="", payer="王师傅", approver=None) -> Receipt:
    """lines: (fee code, unit price, quantity[, discount, reason])"""
    return ReceiptFactory(
        cashier=by,
        lines=lines,
        method=method,
        reference=reference or ("" if method == "cash" else "REF-1"),
        payer_name=payer,
        discount_approver=approver,
    )


def void(receipt: Receipt, assistant, manager, reason="开错金额") -> Receipt:
    receipt_request_void(receipt=receipt, by=assistant, reason=reason)
    return receipt_approve_void(receipt=receipt, by=manager)


def close_day(
    business_date: date,
    *,
    assistant,
    manager,
    finance,
    cash: dict,
    non_cash: dict | None = None,
    explanations: dict | None = None,
    cash_received: str | None = None,
    until: str = "handed_over",
    opening_float: Decimal | None = None,
    float_left: Decimal | None = None,
) -> DailyClose:
    """Count, submit, approve and hand over a day through the services (stop at ``until``)."""
    day = days.day_record_count(
        day=day_get(business_date),
        by=assistant,
        cash_count={D(k): v for k, v in cash.items()},
        non_cash={m: D(v) for m, v in (non_cash or {}).items()},
        opening_float=opening_float,
        float_left=float_left,
    )
    days.day_submit(day=day, by=assistant, explanations=explanations or {})
    if until != "submitted":
        days.day_approve(day=day, by=manager)
    if until == "handed_over":
        handed = cash_to_hand_over(day)
        days.handover_confirm(
            day=day,
            by=finance,
            cash_received=D(cash_received) if cash_received is not None else handed,
            bag_number=f"BAG-{business_date:%m%d}",
        )
    day.refresh_from_db()
    return day


@dataclass
class Month:
    year: int
    month: int
    d1: date
    d2: date
    d3: date
    receipts: dict


def build_month(assistant, manager, finance, *, year=None, month=None, last_day="handed_over"):
    """Three closed days of a past month with a void, two reversals and three discounts;
    the last day's close stops at ``last_day`` ("open", "submitted", "approved"...).

    Expected (DESIGN: void counts nowhere, a reversal counts negative on its own day):
      d1: R1 permit 20×2 + card 10×2 cash 60; R2 permit 20 − 5 (discount) WeChat 15;
          R3 card 10 cash, void.                                          day total  75.00
      d2: reversal of R1 −60 cash; R4 waste removal 300 cash.             day total 240.00
          Finance receives 230 of the 240 cash: a −10 handover discrepancy.
      d3: R5 permit 20×3 − 10 cash 50; reversal of R2 −15 WeChat.         day total  35.00
      Month: 350.00 = permit 50 + card 0 + waste 300; cash 350, WeChat 0;
             discounts 5 + 10 − 5 = 10; 1 void (10.00); 2 reversals (−75.00).
    """
    if year is None:
        year, month = previous_month()
    d1, d2, d3 = date(year, month, 3), date(year, month, 10), date(year, month, 20)
    people = {"assistant": assistant, "manager": manager, "finance": finance}
    r = {}
    r["R1"] = move(issue(assistant, ("permit_fee", "20", 2), ("card_fee", "10", 2)), d1, 9)
    r["R2"] = move(
        issue(
            assistant,
            ("permit_fee", "20", 1, "5", "老客户"),
            method="wechat",
            reference="WX1",
            approver=manager,  # a quarter off: over the limit
        ),
        d1,
        10,
    )
    r["R3"] = issue(assistant, ("card_fee", "10", 1))
    void(r["R3"], assistant, manager)
    r["R3"] = move(r["R3"], d1, 11)
    close_day(d1, **people, cash={"50": 1, "10": 1}, non_cash={"wechat": "15"})

    r["V1"] = move(receipt_reverse(receipt=r["R1"], by=manager, reason="重复收费"), d2, 9)
    r["R4"] = move(issue(assistant, ("waste_removal", "300", 1)), d2, 14)
    close_day(d2, **people, cash={"100": 2, "20": 2}, cash_received="230.00")

    r["R5"] = move(issue(assistant, ("permit_fee", "20", 3, "10", "批量办证")), d3, 9)
    r["V2"] = move(receipt_reverse(receipt=r["R2"], by=manager, reason="客户退款"), d3, 15)
    if last_day != "open":
        close_day(
            d3, **people, cash={"50": 1}, explanations={"wechat": "微信原路退款"}, until=last_day
        )
    return Month(year, month, d1, d2, d3, r)


def receipt_post(key=None, **changes) -> dict:
    """The receipt form's POST data: a named person pays a permit fee (20.00) and a card fee
    (10.00) in cash; ``changes`` overrides or adds fields (``lines-2-…`` for a third line)."""
    data = {
        "request_key": str(key or uuid.uuid4()),
        "payer_kind": "person",
        "unit_code": "",
        "contractor": "",
        "payer_name": "李师傅",
        "method": "cash",
        "reference": "",
        "note": "",
        "approver_username": "",
        "approver_password": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "8",
        "lines-0-fee_type": str(FeeType.objects.get(code="permit_fee").pk),
        "lines-0-quantity": "1",
        "lines-0-unit_price": "20.00",
        "lines-1-fee_type": str(FeeType.objects.get(code="card_fee").pk),
        "lines-1-quantity": "1",
        "lines-1-unit_price": "10.00",
    }
    data.update(changes)
    return data


def billed_charge(by, tenant, description="Waste removal, June", month=6) -> Charge:
    """A bill of 300.00 for waste removal, billed on the first of ``month`` 2025."""
    return ChargeFactory(
        created_by=by,
        tenant=tenant,
        description=description,
        amount=D("300.00"),
        billed_on=date(2025, month, 1),
    )
