"""Tenant files (一户一档): the list with each file's gaps, a file's page (its catalogue ticked,
every missing type named, where the paper file was kept), opening and moving a file,
filing a document with its scan, the scan's download (logged when confidential) and the
printed catalogue (卷内目录)."""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from archives import filters, forms, services, tables
from archives.models import SCAN_CONTENT_TYPES, Document, Occupancy, TenantFile
from archives.selectors import file_catalogue, file_documents, file_list, open_file_of, open_loans
from archives.services.files import ADD_DOCUMENT, MOVE, OPEN, VIEW, VIEW_DOCUMENT
from archives.views.access import REQUEST as REQUEST_ACCESS
from archives.views.access import file_gate, record_read
from archives.views.actions import form_page
from config.downloads import content_disposition
from config.history import history_entries
from config.lists import FilteredList
from config.pdf import pdf_response, render_pdf


class FileList(FilteredList):
    permission_required = VIEW
    filterset_class = filters.FileFilter
    table_class = tables.FileTable
    title = _("Tenant files")

    def get_queryset(self):
        return file_list()


@permission_required(OPEN, raise_exception=True)
@never_cache
def file_open(request, occupancy_pk):
    """Open the file of an occupancy's tenant and unit."""
    occupancy = get_object_or_404(
        Occupancy.objects.select_related("unit", "tenant"), pk=occupancy_pk
    )
    existing = open_file_of(unit_id=occupancy.unit_id, tenant_id=occupancy.tenant_id)
    if existing is not None:
        return redirect(existing)
    form = forms.FileOpenForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    return form_page(
        request,
        form,
        transaction.atomic(
            lambda data: services.file_open(
                by=request.user,
                unit=occupancy.unit,
                tenant=occupancy.tenant,
                kind=data["kind"],
                opened_on=data["opened_on"],
                cabinet=data["cabinet"],
                box=data["box"],
                notes=data["notes"],
            )
        ),
        success=lambda tenant_file: _("File %(record)s opened.") % {"record": tenant_file},
        done=lambda tenant_file: tenant_file,
        title=_("Open the file of %(tenant)s for %(unit)s")
        % {"tenant": occupancy.tenant, "unit": occupancy.unit},
        cancel_url=occupancy.tenant.get_absolute_url(),
    )


def file_detail(request, pk):
    """The file's page: for the centre's staff, or under a running permission (查阅登记),
    each such view logged; anyone else is refused and the attempt logged (file_gate)."""
    tenant_file = get_object_or_404(
        TenantFile.objects.select_related("unit", "tenant", "opened_by"), pk=pk
    )
    return _file_page(request, tenant_file, file_gate(request, tenant_file))


@require_safe  # checked after the reader's right, as the other pages do
@never_cache
def _file_page(request, tenant_file: TenantFile, access):
    record_read(request, access, tenant_file)
    documents = file_documents(tenant_file)
    catalogue = file_catalogue(tenant_file, documents)
    loans = {loan.document_id: loan for loan in open_loans().filter(document__file=tenant_file)}
    for document in documents:
        document.open_loan = loans.get(document.pk)
    return render(
        request,
        "archives/files/detail.html",
        {
            "record": tenant_file,
            "documents": documents,
            "catalogue": catalogue,
            "locations": tenant_file.locations.select_related("moved_by"),
            "history": history_entries(tenant_file),
            "permission": access.permission,
            "may_read_documents": access.permission is not None
            or request.user.has_perm(VIEW_DOCUMENT),
        },
    )


@permission_required(MOVE, raise_exception=True)
@never_cache
def file_move(request, pk):
    tenant_file = get_object_or_404(TenantFile, pk=pk)
    form = forms.FileMoveForm(
        request.POST or None, initial={"cabinet": tenant_file.cabinet, "box": tenant_file.box}
    )
    return form_page(
        request,
        form,
        transaction.atomic(
            lambda data: services.file_move(
                by=request.user,
                tenant_file=tenant_file,
                cabinet=data["cabinet"],
                box=data["box"],
                reason=data["reason"],
            )
        ),
        success=lambda moved: _("File %(record)s moved.") % {"record": moved},
        done=lambda moved: moved,
        title=_("Move file %(number)s") % {"number": tenant_file.number},
        cancel_url=tenant_file.get_absolute_url(),
    )


@permission_required(ADD_DOCUMENT, raise_exception=True)
@never_cache
def document_add(request, pk):
    tenant_file = get_object_or_404(TenantFile.objects.select_related("unit", "tenant"), pk=pk)
    form = forms.DocumentForm(
        request.POST or None,
        request.FILES or None,
        tenant_file=tenant_file,
        initial={"doc_type": request.GET.get("type")},
    )
    return form_page(
        request,
        form,
        transaction.atomic(
            lambda data: services.document_add(
                by=request.user,
                tenant_file=tenant_file,
                doc_type=data["doc_type"],
                title=data["title"],
                dated_on=data["dated_on"],
                pages=data["pages"],
                paper=data["paper"],
                cabinet=data["cabinet"],
                box=data["box"],
                confidential=data["confidential"],
                remarks=data["remarks"],
                upload=data["scan"],
                **form.retention(),
            )
        ),
        success=lambda document: _("%(record)s filed.") % {"record": document},
        done=lambda document: document.file,
        title=_("File a document in %(number)s") % {"number": tenant_file.number},
        cancel_url=tenant_file.get_absolute_url(),
        multipart=True,
    )


def document_scan(request, pk):
    """A document's scan as a download, of the type its stored suffix says: for the
    centre's staff (a confidential document's download written to the access log first),
    or under a running permission for its file (every download logged)."""
    document = get_object_or_404(Document.objects.select_related("file", "type"), pk=pk)
    user = request.user
    if user.has_perm(VIEW) and not user.has_perm(VIEW_DOCUMENT):
        raise PermissionDenied  # staff who read the files' pages but not their documents
    return _scan(request, document, file_gate(request, document.file, document=document))


@require_safe  # checked after the reader's right, as the other pages do
@never_cache
def _scan(request, document: Document, access):
    if not document.scan:
        raise Http404
    content_type = SCAN_CONTENT_TYPES.get(document.scan_suffix)
    if content_type is None:
        raise Http404
    try:
        handle = document.scan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if access.staff and document.confidential:
        services.file_read_record(
            by=request.user, tenant_file=document.file, document=document, page=request.path
        )
    record_read(request, access, document.file, document=document)
    response = FileResponse(handle, content_type=content_type)
    filename = f"{document.file.number}-{document.pk}{document.scan_suffix}"
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_catalogue_pdf(request, pk):
    """The printed catalogue (卷内目录) of the file, to put in front of its documents: read
    through the file's gate as its page is."""
    tenant_file = get_object_or_404(TenantFile.objects.select_related("unit", "tenant"), pk=pk)
    return _catalogue_pdf(request, tenant_file, file_gate(request, tenant_file))


@require_safe
def _catalogue_pdf(request, tenant_file: TenantFile, access):
    record_read(request, access, tenant_file)
    # A printed list is in the centre's language, whoever prints it.
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_pdf(
            "archives/pdf/file_catalogue.html",
            {
                "title": "卷内目录",
                "record": tenant_file,
                "documents": file_documents(tenant_file),
            },
            request=request,
        )
    return pdf_response(pdf, f"{tenant_file.number}-catalogue.pdf")


def file_links(user, occupancies) -> dict[int, str]:
    """For a unit's or a tenant's page: each occupancy's file (the latest of its unit and
    tenant), or for a current one without a file the page that opens it; empty for a user
    who may read no file."""
    if not user.has_perm(VIEW):
        return _request_links(user, occupancies)
    pairs = {(o.unit_id, o.tenant_id) for o in occupancies}
    files = TenantFile.objects.filter(
        unit_id__in={unit for unit, _tenant in pairs},
        tenant_id__in={tenant for _unit, tenant in pairs},
    ).order_by("opened_on", "pk")
    # The latest file of each pair is the one kept (later ones overwrite earlier ones).
    latest = {(f.unit_id, f.tenant_id): f for f in files}
    links = {}
    for occupancy in occupancies:
        found = latest.get((occupancy.unit_id, occupancy.tenant_id))
        url = found.get_absolute_url() if found else None
        if url is None and user.has_perm(OPEN) and occupancy.is_current:
            url = reverse("archives:file_open", args=[occupancy.pk])
        if url:
            links[occupancy.pk] = url
    return links


def _request_links(user, occupancies) -> dict[int, str]:
    """For a user outside the centre who may ask to read files: each occupancy's file, by
    the page that asks for it (查阅登记); nothing for anyone else."""
    if not user.has_perm(REQUEST_ACCESS):
        return {}
    files = TenantFile.objects.filter(
        unit_id__in={o.unit_id for o in occupancies},
        tenant_id__in={o.tenant_id for o in occupancies},
    ).order_by("opened_on", "pk")
    latest = {(f.unit_id, f.tenant_id): f for f in files}
    base = reverse("archives:access_request_create")
    return {
        o.pk: f"{base}?file={latest[(o.unit_id, o.tenant_id)].pk}"
        for o in occupancies
        if (o.unit_id, o.tenant_id) in latest
    }
