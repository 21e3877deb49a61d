# What each charge still owes, stored for the ageing list (fees.ChargeBalance), filled here
# for the charges already billed. A frozen copy of the rule (selectors.charges.
# charge_balances): the amount less its receipt lines that are not void (reversals count
# negative) and its offsets; nothing for a cancelled charge.

import django.db.models.deletion
from decimal import Decimal

from django.db import migrations, models
from django.db.models import Sum


def fill_balances(apps, schema_editor):
    Charge = apps.get_model("fees", "Charge")
    ReceiptLine = apps.get_model("fees", "ReceiptLine")
    ChargeOffset = apps.get_model("fees", "ChargeOffset")
    ChargeBalance = apps.get_model("fees", "ChargeBalance")
    settled: dict[int, Decimal] = {}
    lines = (
        ReceiptLine.objects.filter(charge__isnull=False)
        .exclude(receipt__status="void")
        .values_list("charge")
        .annotate(total=Sum("amount"))
    )
    offsets = ChargeOffset.objects.values_list("charge").annotate(total=Sum("amount"))
    for charge, total in [*lines, *offsets]:
        settled[charge] = settled.get(charge, Decimal("0")) + Decimal(total)
    cent = Decimal("0.01")
    ChargeBalance.objects.bulk_create(
        [
            ChargeBalance(
                charge_id=pk,
                owed=Decimal("0.00")
                if cancelled
                else (amount - settled.get(pk, Decimal("0"))).quantize(cent),
            )
            for pk, amount, cancelled in Charge.objects.values_list("pk", "amount", "cancelled")
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("fees", "0025_flat_permit_status_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChargeBalance",
            fields=[
                (
                    "charge",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="stored_balance",
                        serialize=False,
                        to="fees.charge",
                        verbose_name="charge",
                    ),
                ),
                (
                    "owed",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.00"),
                        max_digits=12,
                        verbose_name="still owed",
                    ),
                ),
            ],
            options={
                "verbose_name": "charge's balance",
                "verbose_name_plural": "charges' balances",
                "indexes": [
                    models.Index(
                        condition=models.Q(("owed__gt", 0)),
                        fields=["charge", "owed"],
                        name="fees_charge_owed_open",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_balances, migrations.RunPython.noop),
    ]
