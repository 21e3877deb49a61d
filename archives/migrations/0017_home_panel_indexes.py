# The home panels of the register on indexes, however many tenants and leases: tenants due
# for verification (counted, the first listed in order on SQLite) and current leases by
# their end (the leases ending soon).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0016_document_retention_end_year"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="occupancy",
            index=models.Index(
                condition=models.Q(("handed_over_on__isnull", True)),
                fields=["lease_ends_on"],
                name="occupancy_current_lease_end",
            ),
        ),
        migrations.AddIndex(
            model_name="tenant",
            index=models.Index(
                fields=["last_verified_on", "name", "id"], name="tenant_verification"
            ),
        ),
    ]
