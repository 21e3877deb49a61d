# The unit the ledger files each deposit under, stored (Deposit.ledger_unit), and the
# indexes the ledger reads: its totals, its page of units and its dormant deposits. The
# deposit's triggers are lifted for the new column and installed again with it among the
# fixed fields.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from config.permanence import LiftPermanence, MakePermanent

FIXED = (
    "kind",
    "receipt_line",
    "amount",
    "application",
    "permit",
    "tenant",
    "contractor",
    "unit",
    "payer_name",
    "taken_at",
)
FROZEN_WHEN = "OLD.status IN ('refunded', 'forfeited', 'cancelled')"


def fill_ledger_units(apps, schema_editor):
    Deposit = apps.get_model("deposits", "Deposit")
    Application = apps.get_model("deposits", "DecorationApplication")
    Permit = apps.get_model("fees", "Permit")
    Deposit.objects.update(
        ledger_unit=Coalesce(
            "unit",
            Subquery(Application.objects.filter(pk=OuterRef("application")).values("unit")[:1]),
            Subquery(Permit.objects.filter(pk=OuterRef("permit")).values("unit")[:1]),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0009_import_register_imports"),
        ("deposits", "0006_deposit_gate_opened_on"),
        ("fees", "0019_refunds_payouts"),
    ]

    operations = [
        LiftPermanence(
            "deposit", fixed=FIXED, filled_once=("released_on",), frozen_when=FROZEN_WHEN
        ),
        migrations.AddField(
            model_name="deposit",
            name="ledger_unit",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="archives.unit",
                verbose_name="unit in the ledger",
            ),
        ),
        migrations.RunPython(fill_ledger_units, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="deposit", name="deposits_de_status_bddb70_idx"),
        migrations.AddIndex(
            model_name="deposit",
            index=models.Index(
                fields=["status", "taken_at", "amount"], name="deposits_de_status_1dd832_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="deposit",
            index=models.Index(
                fields=["status", "ledger_unit", "taken_at", "amount"],
                name="deposits_de_status_747070_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="deposit",
            index=models.Index(
                fields=["status", "application"], name="deposits_de_status_62e303_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="inspection",
            index=models.Index(
                fields=["application", "result", "inspected_on"],
                name="deposits_in_applica_77d077_idx",
            ),
        ),
        MakePermanent(
            "deposit",
            fixed=(*FIXED, "ledger_unit"),
            filled_once=("released_on",),
            frozen_when=FROZEN_WHEN,
        ),
    ]
