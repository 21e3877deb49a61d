"""Access to tenant files (查阅登记): a department's request to read one file, the centre's
list of requests, a request's page, its approval (with who accompanies the reader) or
refusal; and the gate every page of a file passes (``file_gate``): the centre's staff
pass, a reader under a running permission passes with the read logged, anyone else is
refused (403) with the attempt logged."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from archives import selectors, services
from archives.filters import AccessRequestFilter
from archives.forms.access import AccessApproveForm, AccessRefuseForm, AccessRequestForm
from archives.models import AccessRequest, AccessStatus, Document, TenantFile
from archives.selectors import FileAccess
from archives.tables import AccessRequestTable
from archives.views.actions import form_page
from config.history import history_entries
from config.lists import FilteredList

REQUEST = "archives.add_accessrequest"
VIEW_REQUESTS = "archives.view_accessrequest"
APPROVE = "archives.approve_accessrequest"


def file_gate(request, tenant_file: TenantFile, *, document: Document | None = None) -> FileAccess:
    """May ``request.user`` read ``tenant_file`` (or its ``document``) today: as the
    centre's staff, or under a running permission? Anyone else is refused (403), whatever
    the method, and the attempt is logged. Nothing of the file has been read yet."""
    access = selectors.file_access(request.user, tenant_file, timezone.localdate())
    if not access.allowed:
        services.file_read_record(
            by=request.user,
            tenant_file=tenant_file,
            document=document,
            page=request.path,
            refused=True,
        )
        raise PermissionDenied
    return access


def record_read(
    request, access: FileAccess, tenant_file: TenantFile, *, document: Document | None = None
) -> None:
    """Log a read under a permission (the page, or a document's download), before anything
    of it is shown. The centre's staff's reads are not logged here (a confidential
    document's download is, by its view)."""
    if access.permission is not None:
        services.file_read_record(
            by=request.user,
            tenant_file=tenant_file,
            document=document,
            page=request.path,
            access_request=access.permission,
        )


class AccessRequestList(FilteredList):
    """The centre's staff see every request; a department its own."""

    filterset_class = AccessRequestFilter
    table_class = AccessRequestTable
    title = gettext_lazy("Requests to read a tenant file")
    create_url_name = "archives:access_request_create"
    create_permission = REQUEST

    def has_permission(self):
        user = self.request.user
        return user.has_perm(VIEW_REQUESTS) or user.has_perm(REQUEST)

    def get_queryset(self):
        return selectors.access_requests_for(self.request.user)


@permission_required(REQUEST, raise_exception=True)
def access_request_create(request):
    initial = {}
    chosen = TenantFile.objects.filter(pk=request.GET.get("file") or 0).first()
    if chosen is not None:
        initial["file_number"] = chosen.number
    return form_page(
        request,
        AccessRequestForm(request.POST or None, initial=initial),
        lambda data: services.access_request_file(
            by=request.user,
            tenant_file=data["file_number"],
            purpose=data["purpose"],
            days=data["days"],
        ),
        success=lambda made: (
            _("Your request to read %(number)s is filed.") % {"number": made.file.number}
        ),
        done=lambda made: made,
        title=_("Request to read a tenant file"),
        cancel_url=reverse("archives:access_request_list"),
    )


def _visible_request(request, pk) -> AccessRequest:
    found = get_object_or_404(
        AccessRequest.objects.select_related(
            "file", "file__unit", "requested_by", "decided_by", "accompanied_by"
        ),
        pk=pk,
    )
    user = request.user
    if not (user.has_perm(VIEW_REQUESTS) or found.requested_by_id == user.pk):
        raise PermissionDenied
    return found


def access_request_detail(request, pk):
    return _detail(request, _visible_request(request, pk))


@require_safe  # checked after the reader's right, as the other pages do
def _detail(request, found: AccessRequest):
    today = timezone.localdate()
    return render(
        request,
        "archives/access/detail.html",
        {
            "record": found,
            "status": AccessStatus(found.status),
            "running": found.is_valid_on(today),
            "may_decide": request.user.has_perm(APPROVE)
            and found.status == AccessStatus.PENDING
            and found.requested_by_id != request.user.pk,
            "reads": found.reads.select_related("user", "document").order_by("-at", "-pk")[:50],
            "history": history_entries(found),
        },
    )


@permission_required(APPROVE, raise_exception=True)
def access_request_approve(request, pk):
    found = get_object_or_404(AccessRequest.objects.select_related("file"), pk=pk)
    return form_page(
        request,
        AccessApproveForm(request.POST or None),
        lambda data: services.access_request_approve(
            by=request.user, access_request=found, accompanied_by=data["accompanied_by"]
        ),
        success=lambda decided: (
            _("Approved: %(number)s may be read until %(until)s.")
            % {"number": decided.file.number, "until": decided.ends_on}
        ),
        done=lambda decided: decided,
        title=_("Approve the request to read %(number)s") % {"number": found.file.number},
        cancel_url=found.get_absolute_url(),
    )


@permission_required(APPROVE, raise_exception=True)
def access_request_refuse(request, pk):
    found = get_object_or_404(AccessRequest.objects.select_related("file"), pk=pk)
    return form_page(
        request,
        AccessRefuseForm(request.POST or None),
        lambda data: services.access_request_refuse(
            by=request.user, access_request=found, reason=data["refusal"]
        ),
        success=lambda decided: (
            _("The request to read %(number)s is refused.") % {"number": decided.file.number}
        ),
        done=lambda decided: decided,
        title=_("Refuse the request to read %(number)s") % {"number": found.file.number},
        cancel_url=found.get_absolute_url(),
    )


urls = [
    path("access/", AccessRequestList.as_view(), name="access_request_list"),
    path("access/new/", access_request_create, name="access_request_create"),
    path("access/<int:pk>/", access_request_detail, name="access_request_detail"),
    path("access/<int:pk>/approve/", access_request_approve, name="access_request_approve"),
    path("access/<int:pk>/refuse/", access_request_refuse, name="access_request_refuse"),
]
