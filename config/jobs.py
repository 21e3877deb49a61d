"""Background jobs: long exports built by a worker process, with their progress on a page.

A job builds the file of one exporter (config.exporters): the job's ``kind`` is the
exporter's name and its ``params`` are the exporter's to_json() of the form's values. The
exporter's render(params, out, progress) calls ``progress(percent, message)`` as it goes,
at least every minute or so: progress is also the job's heartbeat.

job_start() records an ExportJob and enqueues run_job() on Django's tasks API (the
django-tasks backport). The production backend is django-tasks-db's: the task is a row of
the same database, and the worker process (``manage.py db_worker``) runs it; no other server.
Tests use the immediate backend, which runs the task at once, in the caller.

A worker can die in the middle of a job (killed, the machine restarted); its job then stops
beating. jobs_fail_stale() marks failed every running job without a sign of life for
STALE_AFTER. The worker calls it when it starts (config/management/commands/db_worker.py)
and before each job, and so does the request that starts a job. Pages only read:
job_as_seen() shows such a job as failed without writing it.
"""

import hashlib
import logging
import tempfile
import time
from datetime import datetime, timedelta

from django.core.files import File
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, set_script_prefix
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from config.exporters import exporter
from config.models import ExportJob, JobStatus
from config.permissions import require

logger = logging.getLogger(__name__)

# A running job that has shown no sign of life for this long has lost its worker.
STALE_AFTER = timedelta(minutes=2)
# Progress is written when its percentage changes, and otherwise at most this often (in
# seconds): the page's message keeps moving and the heartbeat stays well inside STALE_AFTER,
# without a write for each of a thousand receipts.
BEAT_EVERY = 10.0


def download_name(job: ExportJob) -> str:
    report = exporter(job.kind)
    return report.filename(report.from_json(job.params))


def job_start(*, by, kind: str, params: dict, background: bool = True) -> ExportJob:
    """Record the job of the exporter named ``kind`` (``params`` as its to_json() gives
    them) and have its file built: by the task worker, or at once in the caller when
    ``background`` is False (a small export). Returns the job as it stands."""
    require(by, exporter(kind).permission)
    jobs_fail_stale()
    job = ExportJob.objects.create(
        kind=kind, params=params, requested_by=by, language=translation.get_language() or ""
    )
    if background:
        # The database backend's task is a row of the same database, written after the job's
        # and in the caller's transaction if it has one: the worker never finds a task
        # without its job. (A backend outside the database, such as Redis, would need
        # transaction.on_commit() here.)
        result = run_job.enqueue(job.pk, get_script_prefix())
        ExportJob.objects.filter(pk=job.pk).update(task_id=result.id)
    else:
        job_run(job.pk)
    job.refresh_from_db()
    return job


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int, script_prefix: str = "/") -> None:
    """The task the worker runs: one ExportJob. Its path (config.jobs.run_job) is stored
    with each queued task, so it keeps this name."""
    # reverse() in the worker builds the same URLs as the request that asked (a site
    # served under a path prefix).
    set_script_prefix(script_prefix)
    jobs_fail_stale()
    workers = context.task_result.worker_ids
    job_run(job_id, worker_id=workers[-1] if workers else "")


class JobAbandoned(Exception):
    """The job was marked failed (its heartbeat looked dead) while this worker ran it."""


def _update(job_id: int, *, expect: str = JobStatus.RUNNING, **fields) -> bool:
    """Write these fields at once, if the job is still in the ``expect``ed state."""
    return ExportJob.objects.filter(pk=job_id, status=expect).update(**fields) == 1


class _Heartbeat:
    """The ``progress`` handed to the exporter's render(): writes the percentage and the
    message (in the language of who asked), which are also the job's sign of life."""

    def __init__(self, job: ExportJob):
        self.job = job
        self.percent = None
        self.written_at = 0.0

    def __call__(self, percent: int, message="") -> None:
        now = time.monotonic()
        if percent == self.percent and now - self.written_at < BEAT_EVERY:
            return
        self.percent, self.written_at = percent, now
        with translation.override(self.job.language or None):
            text = str(message)[:300]
        if not _update(self.job.pk, progress=percent, message=text, heartbeat_at=timezone.now()):
            raise JobAbandoned(self.job.pk)


def job_run(job_id: int, *, worker_id: str = "") -> None:
    """Build the job's file into MEDIA_ROOT/exports/ with its SHA-256, keeping progress,
    and end done or failed (with the reason): never leave it running."""
    if not _update(
        job_id,
        expect=JobStatus.QUEUED,
        status=JobStatus.RUNNING,
        progress=0,
        worker_id=worker_id,
        heartbeat_at=timezone.now(),
    ):
        logger.warning("Export job %s is no longer queued: not run again", job_id)
        return
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    with translation.override(job.language or None):
        try:
            digest = _build(job)
        except JobAbandoned:
            logger.warning("Export job %s was marked failed while it ran", job.pk)
            return
        except BaseException as exc:
            logger.exception("Export job %s (%s) failed", job.pk, job.kind)
            now = timezone.now()
            if isinstance(exc, Exception):
                message = _("The export failed: %(error)s") % {
                    "error": str(exc) or type(exc).__name__
                }
            else:  # the worker was told to stop at once (a second Ctrl+C)
                message = _stopped_message(now)
            _update(job.pk, status=JobStatus.FAILED, message=message[:300], finished_at=now)
            if not isinstance(exc, Exception):
                raise
            return
    if not _update(
        job.pk,
        status=JobStatus.DONE,
        progress=100,
        message="",
        file=job.file.name,
        sha256=digest,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    ):
        # Marked failed meanwhile: no row offers the file, so it goes.
        job.file.delete(save=False)
        logger.warning("Export job %s was marked failed while it ran", job.pk)


def _build(job: ExportJob) -> str:
    """Write the file (job.file, not yet saved on the row); returns its SHA-256."""
    report = exporter(job.kind)
    params = report.from_json(job.params, by=job.requested_by)
    with tempfile.TemporaryFile() as tmp:
        report.render(params, tmp, _Heartbeat(job))
        tmp.seek(0)
        digest = hashlib.file_digest(tmp, "sha256").hexdigest()
        tmp.seek(0)
        job.file.save(report.filename(params), File(tmp), save=False)
    return digest


def _stopped_message(last_sign: datetime) -> str:
    return _(
        "The worker stopped while building the file (last sign of life at %(time)s). "
        "Ask for it again."
    ) % {"time": timezone.localtime(last_sign).strftime("%Y-%m-%d %H:%M:%S")}


def _last_sign(job: ExportJob) -> datetime:
    return job.heartbeat_at or job.created_at


def jobs_fail_stale(now: datetime | None = None) -> int:
    """Mark failed, with the reason, every running job whose worker has shown no sign of
    life for STALE_AFTER. Returns how many."""
    now = now or timezone.now()
    stale = ExportJob.objects.annotate(last_sign=Coalesce("heartbeat_at", "created_at")).filter(
        status=JobStatus.RUNNING, last_sign__lt=now - STALE_AFTER
    )
    failed = 0
    for job in stale:
        with translation.override(job.language or None):
            message = _stopped_message(job.last_sign)
        # Only if it has not beaten meanwhile: a worker that was merely slow keeps its job.
        failed += ExportJob.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(status=JobStatus.FAILED, message=message[:300], finished_at=now)
        logger.warning("Export job %s lost its worker (%s): marked failed", job.pk, job.worker_id)
    return failed


def job_as_seen(job: ExportJob, now: datetime | None = None) -> ExportJob:
    """The job as a page shows it: a running job whose worker has shown no sign of life for
    STALE_AFTER is shown failed, with the reason. Nothing is written (reading a page never
    writes); the worker, or the next job's request, records it (jobs_fail_stale)."""
    now = now or timezone.now()
    if job.status == JobStatus.RUNNING and _last_sign(job) < now - STALE_AFTER:
        job.status = JobStatus.FAILED
        job.message = _stopped_message(_last_sign(job))
    return job
