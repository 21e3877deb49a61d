"""What /health/ reports to a monitor: four yes-or-no checks, nothing else.

- database: the default database answers ``SELECT 1``;
- migrations: no migration of the code is unapplied to it;
- worker: a task worker has shown a sign of life within WORKER_SEEN_WITHIN, when the tasks
  backend is django-tasks-db's, whose queue only a worker process runs (the tests' immediate
  backend runs tasks in the caller, and needs none);
- disk: the file system of the uploads (MEDIA_ROOT) has HEALTH_MIN_FREE_DISK_MB free.

The checks only read: the worker's sign of life is written by the worker itself
(``manage.py db_worker`` runs a WorkerBeats thread beside its loop).
"""

import logging
import shutil
import threading
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend

from config.models import WorkerBeat
from config.postgresql.base import connect_without_waiting

logger = logging.getLogger(__name__)

# The worker writes its sign of life this often (seconds)...
BEAT_EVERY = 30.0
# ... and is taken for dead when none is this old: three beats missed, not one slow one.
WORKER_SEEN_WITHIN = timedelta(seconds=90)
# A stopped worker's row is removed by the next worker to start after this long.
FORGET_WORKER_AFTER = timedelta(days=1)

# Once every migration is applied it stays so for the life of the process (code and graph do
# not change under it), and building the graph costs some 20-30 ms a time: asked once.
_all_migrations_applied = False


def database_reachable() -> bool:
    try:
        with connect_without_waiting(), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def migrations_applied() -> bool:
    global _all_migrations_applied
    if not _all_migrations_applied:
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError:
            return False
        _all_migrations_applied = not plan
    return _all_migrations_applied


def worker_needed() -> bool:
    """Whether a task backend queues its tasks in the database for a worker process."""
    return any(
        issubclass(import_string(backend["BACKEND"]), DatabaseBackend)
        for backend in settings.TASKS.values()
    )


def worker_alive(now: datetime | None = None) -> bool:
    if not worker_needed():
        return True
    since = (now or timezone.now()) - WORKER_SEEN_WITHIN
    try:
        return WorkerBeat.objects.filter(seen_at__gte=since).exists()
    except DatabaseError:
        return False


def disk_has_room() -> bool:
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path != path.parent:  # no upload yet: its nearest folder
        path = path.parent
    try:
        free = shutil.disk_usage(path).free
    except OSError:
        return False
    return free >= settings.HEALTH_MIN_FREE_DISK_MB * 1024 * 1024


def health_checks() -> dict[str, bool]:
    """Each check's outcome, in the order the JSON gives them. Without the database, the
    two checks that read it fail at once instead of each waiting for it again."""
    database = database_reachable()
    return {
        "database": database,
        "migrations": database and migrations_applied(),
        "worker": database and worker_alive(),
        "disk": disk_has_room(),
    }


def worker_beat(worker_id: str, now: datetime | None = None) -> None:
    """Record that this worker is alive now."""
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": now or timezone.now()}
    )


def workers_forget_stopped(now: datetime | None = None) -> int:
    """Remove the rows of workers silent for FORGET_WORKER_AFTER (stopped, or restarted
    under another id); returns how many."""
    since = (now or timezone.now()) - FORGET_WORKER_AFTER
    return WorkerBeat.objects.filter(seen_at__lt=since).delete()[0]


class WorkerBeats(threading.Thread):
    """Beside the worker's loop, which may be busy with one long task for minutes: writes
    the worker's sign of life at start (in the caller, so the worker counts as alive from
    the moment it starts) and then every BEAT_EVERY seconds from this thread until stop()."""

    def __init__(self, worker_id: str):
        super().__init__(name="worker-beats", daemon=True)
        self.worker_id = worker_id
        self._stopped = threading.Event()

    def start(self) -> None:
        self._beat()
        super().start()

    def run(self) -> None:
        try:
            while not self._stopped.wait(BEAT_EVERY):
                close_old_connections()  # a database restarted meanwhile: connect again
                self._beat()
        finally:
            connection.close()  # this thread's own connection

    def _beat(self) -> None:
        try:
            worker_beat(self.worker_id)
        except DatabaseError:  # the database is away: the health check says so
            logger.warning("Worker %s could not record its heartbeat", self.worker_id)

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=5)
