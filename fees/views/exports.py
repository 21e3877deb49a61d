"""Audit packs for finance and the auditor: pick a period, follow the job, download the ZIP."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from config.downloads import content_disposition
from config.exporters import exporter
from config.jobs import download_name, job_as_seen, job_start
from config.models import ExportJob, JobStatus
from fees.exporters.audit_pack import SMALL_PACK, last_month

RECENT_JOBS = 20


@permission_required("fees.download_statement", raise_exception=True)
def export_list(request):
    """The period form (POST starts a pack) and the user's recent packs."""
    pack = exporter("audit_pack")
    if request.method == "POST":
        form = pack.get_form(request.POST, user=request.user)
        if form.is_valid():
            background = pack.in_background(form.cleaned_data)
            job = job_start(
                by=request.user,
                kind=pack.name,
                params=pack.to_json(form.cleaned_data),
                background=background,
            )
            if not background and job.status == JobStatus.DONE:
                return _file_response(job)
            return redirect("fees:export_detail", job.pk)
    else:
        date_from, date_to = last_month(timezone.localdate())
        form = pack.get_form(initial={"date_from": date_from, "date_to": date_to})
    recent = ExportJob.objects.filter(requested_by=request.user)[:RECENT_JOBS]
    jobs = [job_as_seen(job) for job in recent]
    return render(
        request,
        "fees/exports/list.html",
        {"form": form, "jobs": jobs, "small_pack": SMALL_PACK},
    )


def _job(pk) -> ExportJob:
    """The job as it stands; one whose worker died shows failed (config.jobs.job_as_seen)."""
    return job_as_seen(get_object_or_404(ExportJob.objects.select_related("requested_by"), pk=pk))


@permission_required("fees.download_statement", raise_exception=True)
@require_safe
def export_detail(request, pk):
    return render(request, "fees/exports/detail.html", {"job": _job(pk)})


@permission_required("fees.download_statement", raise_exception=True)
@require_safe
def export_progress(request, pk):
    """The progress fragment the job page polls (htmx) while the job runs."""
    return render(request, "fees/exports/_progress.html", {"job": _job(pk)})


def export_download(request, pk):
    job = _job(pk)
    if job.requested_by_id != request.user.pk and not request.user.has_perm(
        "fees.download_statement"
    ):
        raise PermissionDenied
    return _finished_file(request, job)


@require_safe  # checked after the reader's right, as the other pages do
def _finished_file(request, job: ExportJob):
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    return _file_response(job)


def _file_response(job: ExportJob) -> FileResponse:
    # Streamed from disk: a year's pack can be hundreds of MB.
    response = FileResponse(job.file.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = content_disposition(download_name(job))
    # Packs carry tenants' personal data: keep them out of shared proxies and caches.
    response["Cache-Control"] = "private, no-store"
    return response


urls = [
    path("exports/", export_list, name="export_list"),
    path("exports/<int:pk>/", export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", export_download, name="export_download"),
]
