"""Reads of access to tenant files: whether a user may read a file today (and under which
permission), the requests a user sees, and the access log's rows."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet

from archives.models import AccessLog, AccessRequest, AccessStatus, TenantFile

CENTRE_STAFF = "archives.view_tenantfile"
VIEW_REQUESTS = "archives.view_accessrequest"


@dataclass(frozen=True)
class FileAccess:
    """May the user read the file today: as the centre's staff, or under a permission."""

    staff: bool = False
    permission: AccessRequest | None = None

    @property
    def allowed(self) -> bool:
        return self.staff or self.permission is not None


def file_access(user, tenant_file: TenantFile, today: date) -> FileAccess:
    """The centre's staff read every file; anyone else only under an approved request for
    this file whose days include ``today``."""
    if user.has_perm(CENTRE_STAFF):
        return FileAccess(staff=True)
    permission = (
        AccessRequest.objects.filter(
            file=tenant_file,
            requested_by=user,
            status=AccessStatus.APPROVED,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .order_by("-ends_on", "-pk")
        .first()
    )
    return FileAccess(permission=permission)


def access_requests_for(user) -> QuerySet[AccessRequest]:
    """Every request for the centre's staff who read them; a requester's own otherwise."""
    requests = AccessRequest.objects.select_related(
        "file", "file__unit", "requested_by", "decided_by", "accompanied_by"
    )
    if user.has_perm(VIEW_REQUESTS):
        return requests
    return requests.filter(requested_by=user)


def pending_access_requests() -> QuerySet[AccessRequest]:
    return (
        AccessRequest.objects.filter(status=AccessStatus.PENDING)
        .select_related("file", "requested_by")
        .order_by("requested_at", "pk")
    )


def access_log_rows() -> QuerySet[AccessLog]:
    return AccessLog.objects.select_related("user", "file", "document", "access_request")


def of_file_number(lines: QuerySet[AccessLog], number: str) -> QuerySet[AccessLog]:
    """The lines of the file numbered ``number`` (DA-2026-0001, any case typed): the file
    found by its unique number first, then its lines by the log's index on the file (a
    case-blind match on the joined number would read the whole log)."""
    files = TenantFile.objects.filter(number=number.strip().upper()).values("pk")
    return lines.filter(file__in=files)


def people_in_the_log():
    """Whoever has a line in the access log, by name (one query for the select)."""
    # One probe of the log's (user, at) index per user, not a pass over the whole log.
    logged = Exists(AccessLog.objects.filter(user=OuterRef("pk")))
    return get_user_model().objects.filter(logged).order_by("first_name", "last_name", "username")
