"""Access to tenant files (查阅登记): a request to read one file, its approval (never by the
one who asked, with the member of staff who accompanies the reader) or refusal, and the
access log's lines for each read under a permission and each refused attempt."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import (
    MAX_ACCESS_DAYS,
    AccessKind,
    AccessLog,
    AccessRequest,
    AccessStatus,
    Document,
    TenantFile,
    access_period,
)
from archives.services.register import access_record
from config.permissions import require
from config.states import change, save_change, stamp
from config.validators import RuleError

REQUEST = "archives.add_accessrequest"
APPROVE = "archives.approve_accessrequest"
# The centre's staff read every file without a permission (config.roles.FILES_VIEW).
CENTRE_STAFF = "archives.view_tenantfile"
PURPOSE_MAX = 200


def _purpose(text: str, *, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise RuleError(message, field=field)
    if len(text) > PURPOSE_MAX:
        raise RuleError(_("Keep it within %(max)d characters.") % {"max": PURPOSE_MAX}, field=field)
    return text


@transaction.atomic
def access_request_file(
    *, by, tenant_file: TenantFile, purpose: str, days: int, today: date | None = None
) -> AccessRequest:
    """File a request to read ``tenant_file`` for ``days`` days; refused while the same
    person has one awaiting approval or running for that file."""
    require(by, REQUEST)
    today = today or timezone.localdate()
    purpose = _purpose(purpose, field="purpose", message=_("Say why you need to read the file."))
    if not 1 <= days <= MAX_ACCESS_DAYS:
        raise RuleError(_("Ask for 1 to %(max)d days.") % {"max": MAX_ACCESS_DAYS}, field="days")
    TenantFile.objects.select_for_update().get(pk=tenant_file.pk)  # one request at a time
    mine = AccessRequest.objects.filter(file=tenant_file, requested_by=by)
    if mine.filter(status=AccessStatus.PENDING).exists():
        raise ValidationError(_("Your request for this file is awaiting approval already."))
    if mine.filter(status=AccessStatus.APPROVED, ends_on__gte=today).exists():
        raise ValidationError(_("You hold a permission to read this file already."))
    made = AccessRequest(file=tenant_file, requested_by=by, purpose=purpose, days=days)
    return save_change(made, gettext_noop("access requested"))


@transaction.atomic
def access_request_approve(
    *, by, access_request: AccessRequest, accompanied_by, today: date | None = None
) -> AccessRequest:
    """Approve the request from today for the days asked, naming the member of the centre's
    staff who accompanies the reader. Nobody approves their own request."""
    access_request = change(
        access_request,
        AccessStatus.APPROVED,
        by=by,
        permission=APPROVE,
        refusal=_("Only a request awaiting approval can be approved."),
    )
    if access_request.requested_by_id == by.pk:
        raise ValidationError(_("Nobody approves their own request."))
    if accompanied_by is None or not accompanied_by.is_active:
        raise RuleError(_("Name who accompanies the reader."), field="accompanied_by")
    if accompanied_by.pk == access_request.requested_by_id or not accompanied_by.has_perm(
        CENTRE_STAFF
    ):
        raise RuleError(
            _("The reader is accompanied by a member of the centre's staff."),
            field="accompanied_by",
        )
    access_request.starts_on, access_request.ends_on = access_period(
        today or timezone.localdate(), access_request.days
    )
    access_request.accompanied_by = accompanied_by
    stamp(access_request, "decided", by)
    return save_change(access_request, gettext_noop("access approved"))


@transaction.atomic
def access_request_refuse(*, by, access_request: AccessRequest, reason: str) -> AccessRequest:
    """Refuse the request, saying why. Nobody decides their own request."""
    access_request = change(
        access_request,
        AccessStatus.REFUSED,
        by=by,
        permission=APPROVE,
        refusal=_("Only a request awaiting approval can be refused."),
    )
    if access_request.requested_by_id == by.pk:
        raise ValidationError(_("Nobody decides their own request."))
    access_request.refusal = _purpose(
        reason, field="refusal", message=_("Say why the request is refused.")
    )
    stamp(access_request, "decided", by)
    return save_change(access_request, gettext_noop("access refused"), access_request.refusal)


def file_read_record(
    *,
    by,
    tenant_file: TenantFile,
    page: str,
    document: Document | None = None,
    access_request: AccessRequest | None = None,
    refused: bool = False,
) -> AccessLog:
    """The access log's line of one read of a tenant file (its page, or a document's
    download) or of a refused attempt. The caller decided who may read (the selectors'
    file_access); the line is written before anything of the file is shown."""
    if refused:
        kind = AccessKind.REFUSED
    elif document is None:
        kind = AccessKind.FILE
    else:
        kind = AccessKind.SCAN if document.confidential else AccessKind.DOCUMENT
    return access_record(
        record=document or tenant_file,
        by=by,
        kind=kind,
        page=page,
        file=tenant_file,
        document=document,
        access_request=access_request,
    )
