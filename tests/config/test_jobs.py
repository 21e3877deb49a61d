"""The job machinery (config.jobs): an exporter's file built as a job, progress that is
also a heartbeat, and the job of a worker that died. Tasks run at once here
(tests/conftest.py); test_jobs_worker.py runs the real worker."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from config import exporters, jobs
from config.exporters import Exporter, no_progress
from config.models import ExportJob, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class TrialExport(Exporter):
    """An exporter for these tests only: its render() is the test's ``run``."""

    name = "test"
    label = "Test"
    permission = "fees.download_statement"
    content_type = "text/plain"

    def __init__(self, run):
        self.run = run

    def filename(self, params: dict) -> str:
        return "test.txt"

    def render(self, params: dict, out, progress=no_progress) -> None:
        self.run(params, out, progress)


@pytest.fixture
def register(monkeypatch):
    """register(run) registers the exporter "test" for this test alone."""
    monkeypatch.setattr(exporters, "_REGISTRY", dict(exporters._REGISTRY))
    return lambda run: exporters.register(TrialExport(run))


def row(job) -> tuple:
    job = ExportJob.objects.get(pk=job.pk)
    return (job.status, job.progress, job.message)


def stopped(last_sign) -> str:
    return (
        "The worker stopped while building the file (last sign of life at "
        f"{timezone.localtime(last_sign):%Y-%m-%d %H:%M:%S}). Ask for it again."
    )


def test_a_job_stores_its_file_and_checksum(register, finance):
    def run(params, out, progress):
        progress(50, "Half way")
        out.write(f"{params['text']} for {params['by'].username}".encode())

    register(run)
    job = jobs.job_start(by=finance, kind="test", params={"text": "hello"})
    content = b"hello for finance"
    assert (job.status, job.progress, job.message) == (JobStatus.DONE, 100, "")
    assert job.sha256 == hashlib.sha256(content).hexdigest()
    with job.file.open("rb") as handle:
        assert handle.read() == content
    assert job.file.name.startswith("exports/test")
    assert job.language == "en"
    assert job.task_id != "" and job.worker_id != ""  # the queue's task, the worker that ran it
    assert job.heartbeat_at is not None and job.finished_at is not None
    assert jobs.download_name(job) == "test.txt"


def test_progress_is_written_when_its_percentage_changes(register, finance, monkeypatch):
    monkeypatch.setattr(jobs, "BEAT_EVERY", 3600.0)  # no write for time's sake in this test
    seen = []

    def run(params, out, progress):
        job = ExportJob.objects.get(kind="test")
        for percent, message in [(10, "a"), (10, "b"), (20, gettext_lazy("Receipts"))]:
            progress(percent, message)
            seen.append(row(job))

    register(run)
    with translation.override("zh-hans"):
        jobs.job_start(by=finance, kind="test", params={})
    running = JobStatus.RUNNING
    # The same percentage again is not written; messages are in the language of who asked.
    assert seen == [(running, 10, "a"), (running, 10, "a"), (running, 20, "收据")]


def test_an_unknown_exporter_or_a_missing_permission_starts_nothing(register, assistant):
    register(lambda params, out, progress: None)
    with pytest.raises(LookupError, match="no exporter is named 'nope'"):
        jobs.job_start(by=assistant, kind="nope", params={})
    with pytest.raises(PermissionDenied):
        jobs.job_start(by=assistant, kind="test", params={})
    assert ExportJob.objects.count() == 0


def running_job(by, *, silent_for: timedelta, language="en") -> ExportJob:
    """A job that its worker left running, with its last sign of life ``silent_for`` ago."""
    return ExportJob.objects.create(
        kind="audit_pack",
        params={"date_from": "2026-01-01", "date_to": "2026-03-31"},
        requested_by=by,
        language=language,
        status=JobStatus.RUNNING,
        progress=42,
        message="Receipts: 100 of 240",
        worker_id="worker-1",
        heartbeat_at=timezone.now() - silent_for,
    )


def test_a_page_shows_a_job_whose_worker_died_as_failed_and_writes_nothing(client_as, finance):
    dead = running_job(finance, silent_for=jobs.STALE_AFTER + timedelta(seconds=1))
    alive = running_job(finance, silent_for=jobs.STALE_AFTER - timedelta(seconds=30))
    client = client_as(finance)
    fragment = client.get(reverse("fees:export_progress", args=[dead.pk])).content.decode()
    assert "hx-trigger" not in fragment  # ended: the page stops polling
    assert 'id="job-status">Failed<' in fragment
    assert stopped(dead.heartbeat_at) in fragment
    assert "The pack could not be built." in fragment
    listing = client.get(reverse("fees:export_list"))
    assert [(j.pk, j.status) for j in listing.context["jobs"]] == [
        (alive.pk, JobStatus.RUNNING),
        (dead.pk, JobStatus.FAILED),
    ]
    fragment = client.get(reverse("fees:export_progress", args=[alive.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "Receipts: 100 of 240" in fragment
    # Reading wrote nothing: the worker records it (jobs_fail_stale).
    assert row(dead) == (JobStatus.RUNNING, 42, "Receipts: 100 of 240")


def test_the_sweep_fails_running_jobs_without_a_sign_of_life(finance):
    dead = running_job(finance, silent_for=jobs.STALE_AFTER + timedelta(seconds=1))
    chinese = running_job(finance, silent_for=timedelta(hours=5), language="zh-hans")
    alive = running_job(finance, silent_for=jobs.STALE_AFTER - timedelta(seconds=30))
    queued = ExportJob.objects.create(kind="audit_pack", params={}, requested_by=finance)
    ExportJob.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(hours=5))
    assert jobs.jobs_fail_stale() == 2
    assert row(dead) == (JobStatus.FAILED, 42, stopped(dead.heartbeat_at))
    beat = timezone.localtime(chinese.heartbeat_at)
    assert row(chinese) == (
        JobStatus.FAILED,
        42,
        f"后台任务进程在生成文件时停止（最近心跳时间：{beat:%Y-%m-%d %H:%M:%S}）。请重新申请。",
    )
    assert ExportJob.objects.get(pk=dead.pk).finished_at is not None
    # A slow worker that still beats keeps its job; a queued job waits for a worker.
    assert row(alive)[0] == JobStatus.RUNNING
    assert row(queued)[0] == JobStatus.QUEUED
    assert jobs.jobs_fail_stale() == 0


@pytest.mark.parametrize("then", ["reports progress", "finishes"])
def test_a_job_failed_by_the_sweep_while_it_runs_stays_failed_without_a_file(
    register, finance, settings, then
):
    def run(params, out, progress):
        # The worker stalled (as it seemed to another process) and has been given up on.
        job = ExportJob.objects.get(kind="test")
        ExportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now() - jobs.STALE_AFTER - timedelta(seconds=1)
        )
        assert jobs.jobs_fail_stale() == 1
        out.write(b"late")
        if then == "reports progress":
            progress(60, "Handover slips")

    register(run)
    job = jobs.job_start(by=finance, kind="test", params={})
    assert (job.status, job.progress, job.message) == (
        JobStatus.FAILED,
        0,
        stopped(job.heartbeat_at),
    )
    assert (job.file.name, job.sha256) == ("", "")
    assert list((settings.MEDIA_ROOT / "exports").glob("*")) == []


def test_a_worker_stopped_at_once_fails_its_job_and_stops(register, finance):
    def run(params, out, progress):
        progress(5, "Receipts")
        raise SystemExit(1)  # what the worker does on a second Ctrl+C

    register(run)
    with pytest.raises(SystemExit):
        jobs.job_start(by=finance, kind="test", params={}, background=False)
    job = ExportJob.objects.get()
    assert (job.status, job.progress) == (JobStatus.FAILED, 5)
    assert job.message == stopped(job.finished_at)
