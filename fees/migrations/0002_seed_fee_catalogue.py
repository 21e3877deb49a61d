from decimal import Decimal

from django.db import migrations

# The catalogue a centre starts with; the administrator edits amounts and adds more.
CATALOGUE = [
    ("permit_fee", "办证费", "Permit fee", "fee", "20.00", 10),
    ("card_fee", "工本费", "Card fee", "fee", "10.00", 20),
    ("permit_card_deposit", "出入证押金", "Permit card deposit", "deposit", "50.00", 30),
    ("decoration_deposit", "装修保证金", "Decoration deposit", "deposit", "5000.00", 40),
    ("waste_removal", "装修垃圾清运费", "Decoration waste removal", "other", "300.00", 50),
    ("overtime_work", "延时施工费", "Overtime work fee", "other", "100.00", 60),
    ("key_replacement", "钥匙补配费", "Key replacement", "other", "20.00", 70),
    ("penalty", "违约金", "Penalty", "other", "0.00", 80),
]


def seed(apps, schema_editor):
    FeeType = apps.get_model("fees", "FeeType")
    for code, name_zh, name_en, category, amount, order in CATALOGUE:
        FeeType.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "category": category,
                "default_amount": Decimal(amount),
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
