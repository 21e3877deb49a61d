# The access log says who was shown whose personal data: nothing deletes or rewrites a line
# (config.permanence), not even the database's own clients.

from django.db import migrations

from config.permanence import InstallRefusal, MakePermanent


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0004_access_log_photo"),
    ]

    operations = [
        # The refusing function again (CREATE OR REPLACE): this app's triggers must not
        # depend on the order in which other apps' migrations run.
        InstallRefusal(),
        MakePermanent("accesslog"),
    ]
