"""``manage.py backup``: the database, the uploads and the frozen files in one archive
(config.backups); ``manage.py backup --check ARCHIVE`` verifies one."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from config.backups import BackupError, backup_check, backup_write, default_output


class Command(BaseCommand):
    help = (
        "Write the database, the uploads and the frozen statement files into one archive "
        "with a manifest of SHA-256 checksums; with --check, verify an archive instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The archive to write (default: BACKUP_DIR/servicedesk-<UTC time>.tar.gz).",
        )
        parser.add_argument(
            "--check",
            type=Path,
            metavar="ARCHIVE",
            help="Verify every member of this archive against its manifest; write nothing.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias.")

    def handle(self, *, output, check, database, **options):
        try:
            if check:
                manifest = backup_check(check)
                self.stdout.write(
                    f"{check}: {len(manifest['members'])} members, every checksum matches "
                    f"(a {manifest['engine']} backup of {manifest['created_at']})."
                )
                return
            output = output or default_output()
            manifest = backup_write(output, connection=connections[database])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        files = len(manifest["members"]) - 1
        self.stdout.write(f"Backup written: {output} (the database and {files} files).")
