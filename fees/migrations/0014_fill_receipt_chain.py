import calendar
from datetime import date

from django.db import migrations

from fees.chain import chain_head, chain_series

# The receipts issued before the chain existed are chained here, series by series (a year's
# numbers) in number order, by the same rules the desk follows when it issues one
# (fees.chain, format 1). What this vouches for is the receipts as they are at the upgrade.
#
# The months locked before the upgrade record where the chain stands at their end now: the
# chain did not exist at their lock, and from the upgrade on, rewriting their receipts shows.


def fill(apps, schema_editor):
    Receipt = apps.get_model("fees", "Receipt")
    MonthLock = apps.get_model("fees", "MonthLock")
    HistoricalMonthLock = apps.get_model("fees", "HistoricalMonthLock")
    years = Receipt.objects.order_by("year").values_list("year", flat=True).distinct()
    for year in list(years):
        chain_series(Receipt, year=year)
    for lock in MonthLock.objects.filter(chain_number=""):
        end = date(lock.year, lock.month, calendar.monthrange(lock.year, lock.month)[1])
        head = chain_head(Receipt, until=end)
        if head is None:
            continue
        lock.chain_number, lock.chain_hash = head
        lock.save(update_fields=["chain_number", "chain_hash"])
        # Its history's records too, so the history shows no change the lock never had.
        HistoricalMonthLock.objects.filter(id=lock.pk).update(
            chain_number=lock.chain_number, chain_hash=lock.chain_hash
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fees", "0013_receipt_chain"),
    ]

    operations = [
        # Backwards, the columns go with 0012: nothing to undo here.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
