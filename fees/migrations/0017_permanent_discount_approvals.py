# A discount approval's try is a record of who vouched for money given away: kept as it was
# made (config.permanence); only its receipt is linked, once.

from django.db import migrations

from config.permanence import MakePermanent


class Migration(migrations.Migration):
    dependencies = [
        ("fees", "0016_permanent_records"),
    ]

    operations = [
        MakePermanent(
            "discountapproval",
            fixed=(
                "asked_at",
                "asked_by",
                "terminal",
                "approver_username",
                "approver",
                "outcome",
            ),
            filled_once=("receipt",),
        ),
    ]
