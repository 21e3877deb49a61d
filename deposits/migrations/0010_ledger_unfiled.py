# The deposits of no unit (a contractor's card for no unit) get their own stored figures by
# day, as the units have theirs: the ledger's "no unit" row reads a row a day instead of every
# such deposit. The ledger's stored figures are written from the rows here (every one: a
# database at 0009 has them but for these columns).

from decimal import Decimal

from django.db import migrations, models


def fill_ledger(apps, schema_editor):
    # Worked out by today's code (services.ledger), which reads the schema as it stands
    # after this migration: the same figures its services keep from now on.
    if not apps.get_model("deposits", "Deposit").objects.exists():
        return
    from deposits.services.ledger import ledger_rewrite

    ledger_rewrite()


class Migration(migrations.Migration):
    dependencies = [
        ("deposits", "0009_ledger_stored_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerday",
            name="unfiled",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                max_digits=12,
                verbose_name="amount held of no unit",
            ),
        ),
        migrations.AddField(
            model_name="ledgerday",
            name="unfiled_count",
            field=models.PositiveIntegerField(
                default=0, verbose_name="deposits holding money of no unit"
            ),
        ),
        migrations.RunPython(fill_ledger, migrations.RunPython.noop),
    ]
