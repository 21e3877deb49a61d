"""django-tasks-db's task worker, which first marks failed the jobs of a worker that died.

It keeps the library's name: config comes before django_tasks_db in INSTALLED_APPS, so
``manage.py db_worker`` runs this command (as staticfiles' runserver extends Django's).
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from config.jobs import jobs_fail_stale


class Command(DatabaseWorkerCommand):
    help = "Run the background worker (export jobs); jobs of a dead worker are marked failed."

    def handle(self, *args, **options):
        failed = jobs_fail_stale()
        if failed:
            self.stderr.write(f"{failed} job(s) of a worker that stopped marked failed.")
        super().handle(*args, **options)
