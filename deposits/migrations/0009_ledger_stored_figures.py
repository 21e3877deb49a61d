# The deposit ledger's stored figures (LedgerDay, LedgerUnit): the ledger's totals by age and
# its sections' counts read a row a day and a row a unit instead of every deposit held. A
# database with deposits has them written from its rows by 0010, once the stored days have
# all their columns (the writing is today's code, which reads them all).

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0015_tenant_file_closed_index"),
        ("deposits", "0008_list_order_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="LedgerDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(unique=True, verbose_name="day")),
                (
                    "held_count",
                    models.PositiveIntegerField(default=0, verbose_name="deposits holding money"),
                ),
                (
                    "held",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("0.00"),
                        max_digits=12,
                        verbose_name="amount held",
                    ),
                ),
                (
                    "waiting_count",
                    models.PositiveIntegerField(default=0, verbose_name="refunds under way"),
                ),
                (
                    "gates_count",
                    models.PositiveIntegerField(
                        default=0, verbose_name="gates open, refund not requested"
                    ),
                ),
                (
                    "dormant_count",
                    models.PositiveIntegerField(
                        default=0, verbose_name="held deposits accepted that day"
                    ),
                ),
            ],
            options={
                "verbose_name": "ledger's day",
                "verbose_name_plural": "ledger's days",
                "ordering": ["day"],
            },
        ),
        migrations.CreateModel(
            name="LedgerUnit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "held_count",
                    models.PositiveIntegerField(default=0, verbose_name="deposits holding money"),
                ),
                (
                    "unit",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="archives.unit",
                        verbose_name="unit in the ledger",
                    ),
                ),
            ],
            options={
                "verbose_name": "ledger's unit",
                "verbose_name_plural": "ledger's units",
                "ordering": ["unit"],
                "indexes": [
                    models.Index(
                        fields=["held_count", "unit"], name="deposits_le_held_co_2d6009_idx"
                    )
                ],
            },
        ),
    ]
