"""``manage.py restore ARCHIVE``: an archive of ``manage.py backup`` back into an empty
database and an empty uploads folder (config.backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from config.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database (of the same engine) and an empty "
        "MEDIA_ROOT, after verifying its checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias.")

    def handle(self, *, archive, database, **options):
        try:
            manifest = restore(archive, connection=connections[database])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored {archive}: the database of {manifest['created_at']} and "
            f"{len(manifest['members']) - 1} files. Run `manage.py migrate` if this code has "
            "migrations newer than the backup."
        )
