# The day each deposit's refund gate opened, stored (services.gates): the ledger and the
# desk's home list open gates from an index. The deposit's triggers are lifted for the new
# column and installed again, so that a closed deposit's new column is frozen with the rest
# of the row.

from django.db import migrations, models

from config.permanence import LiftPermanence, MakePermanent

DEPOSIT = {
    "fixed": (
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
    ),
    "filled_once": ("released_on",),
    "frozen_when": "OLD.status IN ('refunded', 'forfeited', 'cancelled')",
}


def fill_gates(apps, schema_editor):
    # A database with deposits already (none in a new one): worked out by today's code,
    # which reads the schema as it stands after this migration.
    if not apps.get_model("deposits", "Deposit").objects.exists():
        return
    from deposits.services.gates import sync_all_gates

    sync_all_gates(ledger=False)  # the ledger's stored figures come with 0009


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0005_permanent_access_log"),
        ("deposits", "0005_moveouts_records"),
        ("fees", "0019_refunds_payouts"),
    ]

    operations = [
        LiftPermanence("deposit", **DEPOSIT),
        migrations.AddField(
            model_name="deposit",
            name="gate_opened_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="gate opened on"
            ),
        ),
        migrations.AddIndex(
            model_name="deposit",
            index=models.Index(
                fields=["status", "gate_opened_on"], name="deposits_de_status_032686_idx"
            ),
        ),
        MakePermanent("deposit", **DEPOSIT),
        migrations.RunPython(fill_gates, migrations.RunPython.noop),
    ]
