# The record of rights given and taken is evidence of who could do what: nothing deletes or
# rewrites a line of it (config.permanence).

from django.db import migrations

from config.permanence import InstallRefusal, MakePermanent


class Migration(migrations.Migration):
    dependencies = [
        ("config", "0003_rights_changes"),
    ]

    operations = [
        # The refusing function again (CREATE OR REPLACE): this app's triggers must not
        # depend on the order in which other apps' migrations run.
        InstallRefusal(),
        MakePermanent("rightschange"),
    ]
