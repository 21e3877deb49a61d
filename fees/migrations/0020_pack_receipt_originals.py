# A receipt's original PDF, kept with its SHA-256 and never rewritten (config.permanence).

import django.db.models.deletion
import fees.models.receipts
from django.db import migrations, models

from config.permanence import MakePermanent


class Migration(migrations.Migration):

    dependencies = [
        ('fees', '0019_refunds_payouts'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReceiptOriginal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(upload_to=fees.models.receipts.receipt_original_path, verbose_name='file')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('made_at', models.DateTimeField(verbose_name='made at')),
                ('receipt', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='original', to='fees.receipt', verbose_name='receipt')),
            ],
            options={
                'verbose_name': 'receipt original',
                'verbose_name_plural': 'receipt originals',
            },
        ),
        MakePermanent("receiptoriginal"),
    ]
