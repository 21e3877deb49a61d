"""django-tasks-db's task worker, which first marks failed the jobs of a worker that died,
and records its own sign of life for /health/ while it runs (config.health).

It keeps the library's name: config comes before django_tasks_db in INSTALLED_APPS, so
``manage.py db_worker`` runs this command (as staticfiles' runserver extends Django's).
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from config.health import WorkerBeats, workers_forget_stopped
from config.jobs import jobs_fail_stale


class Command(DatabaseWorkerCommand):
    help = "Run the background worker (export jobs); jobs of a dead worker are marked failed."

    def handle(self, *args, **options):
        failed = jobs_fail_stale()
        if failed:
            self.stderr.write(f"{failed} job(s) of a worker that stopped marked failed.")
        if not self._runs_tasks(options):
            super().handle(*args, **options)
            return
        workers_forget_stopped()
        beats = WorkerBeats(options["worker_id"])
        beats.start()
        try:
            super().handle(*args, **options)
        finally:
            beats.stop()

    @staticmethod
    def _runs_tasks(options) -> bool:
        """Whether this process runs the tasks: with --reload (and not --batch, which turns
        it off), the library's command runs them in a child process of its reloader, and
        this one only restarts that child; the child beats, not this one."""
        reloads = options["reload"] and not options["batch"]
        return not reloads or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
