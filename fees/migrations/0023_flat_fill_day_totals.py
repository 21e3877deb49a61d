"""Store the totals of the days submitted before the totals were kept (fees.models.totals).

A frozen copy of fees.selectors.totals' aggregation, on the historical models: two grouped
queries over the receipts of every submitted day, then the rows in bulk. Going back drops
the rows (the tables go with 0020).
"""

from decimal import Decimal

from django.db import migrations
from django.db.models import BooleanField, Case, Count, ExpressionWrapper, F, Q, Sum, When

METHODS = ["cash", "card", "wechat", "alipay", "transfer"]
STORED_STATES = ["submitted", "approved", "handed_over"]
CENT = Decimal("0.01")


def _cents(value) -> Decimal:
    # SQLite sums decimals as floats: back to cents through the shortest repr.
    return Decimal(str(value or 0)).quantize(CENT)


def fill(apps, schema_editor):
    DailyClose = apps.get_model("fees", "DailyClose")
    Receipt = apps.get_model("fees", "Receipt")
    ReceiptLine = apps.get_model("fees", "ReceiptLine")
    DayMethodTotal = apps.get_model("fees", "DayMethodTotal")
    DayFeeTotal = apps.get_model("fees", "DayFeeTotal")
    closes = dict(
        DailyClose.objects.filter(state__in=STORED_STATES).values_list("business_date", "pk")
    )
    if not closes:
        return
    on_closed = Q(business_date__in=DailyClose.objects.filter(state__in=STORED_STATES).values(
        "business_date"
    ))
    is_reversal = ExpressionWrapper(Q(reverses__isnull=False), output_field=BooleanField())
    figures = {}
    rows = (
        Receipt.objects.filter(on_closed)
        .annotate(is_reversal=is_reversal)
        .values("business_date", "method", "status", "is_reversal")
        .annotate(total=Sum("total"), receipts=Count("pk"))
        .order_by()
    )
    for row in rows:
        day = figures.setdefault((row["business_date"], row["method"]), [0, 0, 0, 0, 0, 0])
        amount = _cents(row["total"])
        if row["status"] == "void":
            day[4] += row["receipts"]
            day[5] += amount
            continue
        day[0] += row["receipts"]
        day[1] += amount
        if row["is_reversal"]:
            day[2] += row["receipts"]
            day[3] += amount
    DayMethodTotal.objects.bulk_create(
        [
            DayMethodTotal(
                close_id=close_id,
                method=method,
                receipts=values[0],
                amount=_cents(values[1]),
                reversals=values[2],
                reversal_amount=_cents(values[3]),
                voids=values[4],
                void_amount=_cents(values[5]),
            )
            for business_date, close_id in closes.items()
            for method in METHODS
            for values in [figures.get((business_date, method), [0, 0, 0, 0, 0, 0])]
        ],
        batch_size=2000,
    )
    signed_discount = Case(
        When(receipt__reverses__isnull=False, then=-F("discount")), default=F("discount")
    )
    lines = (
        ReceiptLine.objects.filter(
            receipt__business_date__in=DailyClose.objects.filter(
                state__in=STORED_STATES
            ).values("business_date")
        )
        .exclude(receipt__status="void")
        .values("receipt__business_date", "fee_type_id", "receipt__method")
        .annotate(
            sum_lines=Count("pk"),
            sum_amount=Sum("amount"),
            sum_discount=Sum(signed_discount),
            sum_discounted_lines=Count("pk", filter=Q(discount__gt=0)),
        )
        .order_by()
    )
    DayFeeTotal.objects.bulk_create(
        [
            DayFeeTotal(
                close_id=closes[row["receipt__business_date"]],
                fee_type_id=row["fee_type_id"],
                method=row["receipt__method"],
                lines=row["sum_lines"],
                amount=_cents(row["sum_amount"]),
                discount=_cents(row["sum_discount"]),
                discounted_lines=row["sum_discounted_lines"],
            )
            for row in lines.iterator(chunk_size=5000)
        ],
        batch_size=2000,
    )


def drop(apps, schema_editor):
    apps.get_model("fees", "DayFeeTotal").objects.all().delete()
    apps.get_model("fees", "DayMethodTotal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("fees", "0022_flat_day_totals")]

    operations = [migrations.RunPython(fill, drop)]
