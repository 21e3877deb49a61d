"""The receipt chain: each receipt's SHA-256 over what it says and the hash of the receipt
before it in its series, so that a receipt changed, removed or slipped in behind the
desk's back shows where it happened.

A series is a year's numbering (the NumberSequence ``receipt-YYYY`` that numbers are taken
from, under its row lock): every receipt of the year is in it, in number order, whether the
desk issued it, transcribed it from a paper receipt book (its paper number is recorded in
it, but it takes the next system number like any other) or issued it as a reversal. The
first receipt of a year links to GENESIS.

The hashed bytes (format 1) are the UTF-8 of one JSON object, keys sorted, no whitespace,
non-ASCII written as is (``json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False)``), of:

    format           1
    number, year     "2026-000123", 2026
    business_date    "2026-03-05"
    issued_at        the issue time in UTC, "2026-03-05T01:02:03.456789Z"
    cashier          the user's id
    payer            {"kind": "tenant", "name": "...", "tenant": id or null,
                      "contractor": id or null}
    unit             id or null
    lines            [{"fee_type": id, "description": "...", "quantity": 2,
                       "unit_price": "20.00", "discount": "0.00", "discount_reason": "",
                       "amount": "40.00", "charge": id or null}, ...] in the order issued
    total            "40.00"
    method, reference, note
    discount_approved_by, reverses, book     ids or null
    reversal_reason  text; paper_number: text or null
    previous         the previous receipt's hash (hex), or GENESIS

Amounts are decimal strings with two places (zero always "0.00", never "-0.00"); text is
as stored. The status (void requested, void) is not hashed: it changes through the
services, with its history. Anyone can recompute a hash from this description: the chain
proves that nothing changed since the hashes were written, and the hash a month lock
records (MonthLock.chain_hash) pins the chain as it stood then, so that rewriting the
chain after a change shows too.

This module reads attributes only, so the data migration that chains older receipts
passes its historical models' rows and computes the same bytes as the desk.
"""

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.db.models.functions import Length

FORMAT = 1
GENESIS = "0" * 64
CENT = Decimal("0.01")


def _amount(value) -> str:
    # A reversal of a 0.00 line is -0.00 in memory and 0.00 once stored: one spelling.
    value = Decimal(value).quantize(CENT)
    return "0.00" if value == 0 else f"{value:f}"


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _text(value) -> str | None:
    return None if value is None else str(value)


def _line(line) -> dict:
    return {
        "fee_type": line.fee_type_id,
        "description": _text(line.description),
        "quantity": int(line.quantity),
        "unit_price": _amount(line.unit_price),
        "discount": _amount(line.discount),
        "discount_reason": _text(line.discount_reason),
        "amount": _amount(line.amount),
        "charge": line.charge_id,
    }


def canonical(receipt, lines: Iterable, previous: str) -> bytes:
    """The bytes a receipt's hash is taken over (format 1, described above)."""
    content = {
        "format": FORMAT,
        "number": receipt.number,
        "year": receipt.year,
        "business_date": receipt.business_date.isoformat(),
        "issued_at": _moment(receipt.issued_at),
        "cashier": receipt.cashier_id,
        "payer": {
            "kind": _text(receipt.payer_kind),
            "name": _text(receipt.payer_name),
            "tenant": receipt.tenant_id,
            "contractor": receipt.contractor_id,
        },
        "unit": receipt.unit_id,
        "lines": [_line(line) for line in lines],
        "total": _amount(receipt.total),
        "method": _text(receipt.method),
        "reference": _text(receipt.reference),
        "note": _text(receipt.note),
        "discount_approved_by": receipt.discount_approved_by_id,
        "reverses": receipt.reverses_id,
        "reversal_reason": _text(receipt.reversal_reason),
        "book": receipt.book_id,
        "paper_number": _text(receipt.paper_number),
        "previous": previous,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def receipt_hash(receipt, lines: Iterable, previous: str) -> str:
    """The receipt's hash (hex SHA-256) given its lines and the previous receipt's hash."""
    return hashlib.sha256(canonical(receipt, lines, previous)).hexdigest()


# --- writing and reading the chain with any Receipt model ----------------------------------
# These take the model as an argument so that the data migration that chains the receipts
# issued before the chain existed (with its historical models) and the desk's code use the
# same rules.


def chain_order(*, descending: bool = False) -> list:
    """Receipts in chain order: by series (year), then by number. Numbers have six digits
    or more (2026-1000000 follows 2026-999999), hence their length first."""
    if descending:
        return ["-year", Length("number").desc(), "-number"]
    return ["year", Length("number"), "number"]


def chain_series(receipt_model, *, year: int, batch: int = 1000) -> int:
    """Write the chain of a year's series from its first receipt, in number order; returns
    how many receipts changed. For the upgrade that introduced the chain (and for tests that
    move receipts into the past): the desk itself writes each hash once, when it issues."""
    line_model = receipt_model._meta.get_field("lines").related_model
    receipts = (
        receipt_model.objects.filter(year=year)
        .order_by(*chain_order())
        .prefetch_related(Prefetch("lines", queryset=line_model.objects.order_by("pk")))
    )
    previous, changed, pending = GENESIS, 0, []
    for receipt in receipts.iterator(chunk_size=batch):
        digest = receipt_hash(receipt, receipt.lines.all(), previous)
        if (receipt.chain_previous, receipt.chain_hash) != (previous, digest):
            receipt.chain_previous, receipt.chain_hash = previous, digest
            pending.append(receipt)
        if len(pending) >= batch:
            changed += _save_links(receipt_model, pending)
        previous = digest
    return changed + _save_links(receipt_model, pending)


def _save_links(receipt_model, receipts: list) -> int:
    receipt_model.objects.bulk_update(receipts, ["chain_previous", "chain_hash"])
    count = len(receipts)
    receipts.clear()
    return count


def chain_head(receipt_model, *, until: date) -> tuple[str, str] | None:
    """(number, hash) of the chain's last receipt with a business date up to ``until``: what
    a month lock records. Receipts are issued in number order on today's date, so this is
    the last receipt of the month (or of an earlier one, in a month without receipts)."""
    return (
        receipt_model.objects.filter(business_date__lte=until)
        .order_by(*chain_order(descending=True))
        .values_list("number", "chain_hash")
        .first()
    )
