# The deposit, decoration and refund lists in their order (the latest first), whole or a
# decoration status at a time: each page reads its rows from an index instead of sorting every
# row (with its figures, on the deposit list) before taking fifty.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deposits", "0007_deposit_ledger_unit"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="decorationapplication",
            index=models.Index(
                fields=["submitted_at", "id"], name="deposits_de_submitt_dfe09c_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="decorationapplication",
            index=models.Index(
                fields=["status", "submitted_at", "id"], name="deposits_de_status_a8474b_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="deposit",
            index=models.Index(fields=["taken_at", "id"], name="deposits_de_taken_a_12eb99_idx"),
        ),
        migrations.AddIndex(
            model_name="refund",
            index=models.Index(fields=["prepared_at", "id"], name="deposits_re_prepare_94dd71_idx"),
        ),
    ]
