"""Long exports (an audit pack, later a year's export) built in the background.

job_start() records an ExportJob and runs its work in a daemon thread of the web process;
the job's page polls the row's progress and offers the file when it is done. The worker,
job_run(), is a plain function: a small export calls it in the request, and tests call it
by setting RUN_IN_THREAD to False.

A thread keeps the set-up to nothing (no queue, no second process). Its cost: a job whose
process is restarted mid-way stays "running" and has to be asked for again.
"""

import hashlib
import logging
import tempfile
import threading
from datetime import date

from django.core.files import File
from django.db import connections, transaction
from django.urls import get_script_prefix, set_script_prefix
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.permissions import require
from fees.enums import JobStatus
from fees.exporters.audit_pack import pack_filename, write_audit_pack
from fees.models import ExportJob

logger = logging.getLogger(__name__)

# Tests set this to False: job_start() then runs the same worker at once, in the caller.
RUN_IN_THREAD = True


def _audit_pack(out, job: ExportJob, progress) -> None:
    write_audit_pack(
        out,
        date.fromisoformat(job.params["date_from"]),
        date.fromisoformat(job.params["date_to"]),
        progress=progress,
        by=job.requested_by,
    )


def _audit_pack_name(params: dict) -> str:
    return pack_filename(
        date.fromisoformat(params["date_from"]), date.fromisoformat(params["date_to"])
    )


# kind: (writes the file into a binary stream, names the download)
KINDS = {"audit_pack": (_audit_pack, _audit_pack_name)}


def download_name(job: ExportJob) -> str:
    return KINDS[job.kind][1](job.params)


def job_start(*, by, kind: str, params: dict, background: bool = True) -> ExportJob:
    """Record the job and build its file: in a background thread, or at once when
    ``background`` is False (a small period) or RUN_IN_THREAD is off. Returns the job as
    it stands."""
    require(by, "fees.download_statement")
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    job = ExportJob.objects.create(kind=kind, params=params, requested_by=by)
    language = translation.get_language()
    if background and RUN_IN_THREAD:
        thread = threading.Thread(
            target=_run_in_thread,
            args=(job.pk, language, get_script_prefix()),
            name=f"export-job-{job.pk}",
            daemon=True,
        )
        # The thread has its own connection: it must find the job's row committed.
        transaction.on_commit(thread.start)
    else:
        job_run(job.pk, language)
        job.refresh_from_db()
    return job


def _run_in_thread(job_id: int, language: str, script_prefix: str) -> None:
    # reverse() in this thread must build the same URLs as the request that started it.
    set_script_prefix(script_prefix)
    try:
        job_run(job_id, language)
    finally:
        # A thread's connection is not closed by the request cycle: close it here.
        connections.close_all()


def _save(job: ExportJob, **fields) -> None:
    """Write only these fields, at once (each progress step is its own autocommit)."""
    for name, value in fields.items():
        setattr(job, name, value)
    ExportJob.objects.filter(pk=job.pk).update(**fields)


def job_run(job_id: int, language: str | None = None) -> None:
    """The worker: build the job's file into MEDIA_ROOT/exports/ with its SHA-256, keeping
    progress, and end done or failed (with the reason) — never leave it running on error."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    build, name = KINDS[job.kind]
    language = language or translation.get_language()

    def progress(percent: int, message) -> None:
        with translation.override(language):
            _save(job, progress=percent, message=str(message)[:300])

    _save(job, status=JobStatus.RUNNING, progress=0)
    try:
        with tempfile.TemporaryFile() as tmp:
            build(tmp, job, progress)
            tmp.seek(0)
            digest = hashlib.file_digest(tmp, "sha256").hexdigest()
            tmp.seek(0)
            job.file.save(name(job.params), File(tmp), save=False)
    except Exception as exc:
        logger.exception("Export job %s (%s) failed", job.pk, job.kind)
        with translation.override(language):
            message = _("The export failed: %(error)s") % {"error": str(exc) or type(exc).__name__}
        _save(job, status=JobStatus.FAILED, message=message[:300], finished_at=timezone.now())
        return
    _save(
        job,
        status=JobStatus.DONE,
        progress=100,
        message="",
        file=job.file.name,
        sha256=digest,
        finished_at=timezone.now(),
    )
