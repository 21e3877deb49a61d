"""Decoration applications (二次装修申请): registered, approved or rejected, started,
extended, their permits issued and linked, inspected, closed."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import Contractor, Tenant, Unit
from archives.selectors import current_occupancy
from config.dates import date_bounds
from config.duties import refuse_own_work
from config.history import set_reason
from config.permissions import require
from config.states import change, locked, require_state, save_change, stamp, transition
from config.uploads import clean_document
from config.validators import RuleError
from deposits.enums import (
    DEPOSIT_CLOSED,
    EXTENDABLE,
    FINISHED,
    WORKING,
    ApplicationStatus,
    DocumentKind,
    InspectionResult,
)
from deposits.models import (
    ApplicationDocument,
    ApplicationExtension,
    ApplicationPermit,
    DecorationApplication,
    Inspection,
    InspectionItem,
    InspectionPhoto,
)
from deposits.selectors.applications import permits_not_ended
from deposits.services.uploads import checked_photo, file_row
from deposits.validators import check_period, check_text
from fees.models import Permit, Receipt
from fees.services.numbering import next_number
from fees.services.permits import WorkerInput, permit_issue

MANAGE = "deposits.manage_decoration"
APPROVE = "deposits.approve_decoration"
# How far ahead a decoration may be planned, and how long ago an inspection may be dated.
PLAN_DAYS_AHEAD = 366
# A decoration registered late (the paperwork after the works began) starts at most this
# long ago.
PLAN_DAYS_BACK = 30
INSPECTION_DAYS_BACK = 30
MAX_ITEMS = 30


def application_number(year: int, sequence: int) -> str:
    return f"D{year}-{sequence:04d}"


@dataclass
class ApplicationInput:
    unit: Unit
    tenant: Tenant
    contractor: Contractor
    scope: str
    planned_start: date
    planned_end: date


def _check_input(data: ApplicationInput, today: date) -> str:
    occupancy = current_occupancy(data.unit)
    if occupancy is None or occupancy.tenant_id != data.tenant.pk:
        raise RuleError(
            _("%(tenant)s is not the current tenant of unit %(unit)s.")
            % {"tenant": data.tenant.name, "unit": data.unit.code},
            field="unit",
        )
    if not data.contractor.active:
        raise RuleError(_("This contractor is no longer active."), field="contractor")
    scope = check_text(data.scope, message=_("Describe the works."), field="scope", max_length=2000)
    bounds = date_bounds(today, days_back=PLAN_DAYS_BACK, days_ahead=PLAN_DAYS_AHEAD)
    for name in ("planned_start", "planned_end"):
        try:
            bounds.check(getattr(data, name))
        except ValidationError as exc:
            raise RuleError(" ".join(exc.messages), field=name) from None
    check_period(data.planned_start, data.planned_end)
    return scope


@transaction.atomic
def application_submit(*, by, data: ApplicationInput) -> DecorationApplication:
    """Register a tenant's decoration application, numbered D<year>-NNNN; the manager
    decides it."""
    require(by, MANAGE)
    now = timezone.now()
    scope = _check_input(data, timezone.localdate(now))
    year = timezone.localdate(now).year
    application = DecorationApplication(
        number=application_number(year, next_number(f"decoration-{year}")),
        unit=data.unit,
        tenant=data.tenant,
        contractor=data.contractor,
        scope=scope,
        planned_start=data.planned_start,
        planned_end=data.planned_end,
        submitted_by=by,
        submitted_at=now,
    )
    set_reason(application, gettext_noop("submitted"))
    application.save()
    return application


def _refuse_own(application: DecorationApplication, by) -> None:
    refuse_own_work(
        by,
        [application.submitted_by_id],
        _("You registered this application: another manager must decide it."),
    )


@transaction.atomic
def application_approve(*, by, application: DecorationApplication) -> DecorationApplication:
    """The manager approves the works; permits and the deposit may follow."""
    application = change(
        application,
        ApplicationStatus.APPROVED,
        by=by,
        permission=APPROVE,
        refusal=_("Only a submitted application can be approved."),
    )
    _refuse_own(application, by)
    stamp(application, "decided", by)
    return save_change(application, gettext_noop("approved"))


@transaction.atomic
def application_reject(
    *, by, application: DecorationApplication, reason: str
) -> DecorationApplication:
    """The manager refuses the works, with the reason the tenant is told."""
    application = change(
        application,
        ApplicationStatus.REJECTED,
        by=by,
        permission=APPROVE,
        refusal=_("Only a submitted application can be rejected."),
    )
    _refuse_own(application, by)
    application.rejection_reason = check_text(
        reason, message=_("A rejection needs a reason."), field="reason"
    )
    stamp(application, "decided", by)
    return save_change(application, gettext_noop("rejected"))


@transaction.atomic
def application_start(
    *, by, application: DecorationApplication, started_on: date
) -> DecorationApplication:
    """The works began on ``started_on`` (today or an earlier day since the approval)."""
    application = change(
        application,
        ApplicationStatus.IN_PROGRESS,
        by=by,
        permission=MANAGE,
        refusal=_("Only an approved decoration can start."),
    )
    approved_on = timezone.localdate(application.decided_at)
    bounds = date_bounds(timezone.localdate(), not_before=approved_on)
    if started_on not in bounds:
        raise RuleError(
            _("The works cannot start before the approval (%(first)s) or after today.")
            % {"first": approved_on},
            field="started_on",
        )
    application.started_on = started_on
    return save_change(application, gettext_noop("works started"))


@transaction.atomic
def application_extend(
    *, by, application: DecorationApplication, new_end: date, reason: str
) -> ApplicationExtension:
    """Move the planned end later (延期), with the reason; the extension is kept."""
    require(by, MANAGE)
    application = locked(application)
    require_state(
        application,
        "status",
        EXTENDABLE,
        refusal=_("Only an approved decoration that is not accepted yet can be extended."),
    )
    reason = check_text(reason, message=_("An extension needs a reason."), field="reason")
    previous = application.planned_end
    if new_end <= previous:
        raise RuleError(
            _("The new end must be after the present one (%(date)s).") % {"date": previous},
            field="new_end",
        )
    latest = date_bounds(timezone.localdate(), days_ahead=PLAN_DAYS_AHEAD).last
    if new_end > latest:
        raise RuleError(_("Enter a date until %(date)s.") % {"date": latest}, field="new_end")
    extension = ApplicationExtension.objects.create(
        application=application,
        previous_end=previous,
        new_end=new_end,
        reason=reason,
        granted_by=by,
        granted_at=timezone.now(),
    )
    application.planned_end = new_end
    save_change(application, gettext_noop("extended"), reason)
    return extension


# --- permits ------------------------------------------------------------------------------


def _link(application: DecorationApplication, permit: Permit, by) -> ApplicationPermit:
    return ApplicationPermit.objects.create(
        application=application, permit=permit, linked_by=by, linked_at=timezone.now()
    )


def _check_working(application: DecorationApplication) -> None:
    require_state(
        application,
        "status",
        WORKING,
        refusal=_("Permits are issued for an approved decoration that is not accepted yet."),
    )


@transaction.atomic
def application_permits_issue(
    *,
    by,
    application: DecorationApplication,
    workers: list[WorkerInput],
    valid_from: date,
    valid_to: date,
    method: str,
    reference: str = "",
    request_key: uuid.UUID | None = None,
    with_card_deposit: bool = False,
) -> tuple[Receipt, list[Permit], bool]:
    """Issue the decoration's workers their permits through fees' permit service (its
    contractor, its unit), linked to it; (receipt, permits, False) on a resubmission."""
    require(by, MANAGE)
    application = locked(application)
    _check_working(application)
    if valid_to > application.planned_end:
        raise RuleError(
            _(
                "The permits must end by the decoration's planned end (%(date)s): extend the "
                "decoration first."
            )
            % {"date": application.planned_end},
            field="valid_to",
        )
    receipt, permits, created = permit_issue(
        by=by,
        contractor=application.contractor,
        unit=application.unit,
        workers=workers,
        valid_from=valid_from,
        valid_to=valid_to,
        method=method,
        reference=reference,
        request_key=request_key,
        with_card_deposit=with_card_deposit,
    )
    if created:
        for permit in permits:
            _link(application, permit, by)
    return receipt, permits, created


@transaction.atomic
def application_permit_link(
    *, by, application: DecorationApplication, permit: Permit
) -> ApplicationPermit:
    """Link a permit issued at the desk to the decoration its worker works on: the same
    contractor and unit, linked to no other."""
    require(by, MANAGE)
    application = locked(application)
    _check_working(application)
    permit = locked(permit)
    if (permit.contractor_id, permit.unit_id) != (application.contractor_id, application.unit_id):
        raise RuleError(
            _("Permit %(number)s is for another contractor or unit than this decoration.")
            % {"number": permit.number}
        )
    if ApplicationPermit.objects.filter(permit=permit).exists():
        raise RuleError(
            _("Permit %(number)s belongs to a decoration already.") % {"number": permit.number}
        )
    return _link(application, permit, by)


# --- inspections --------------------------------------------------------------------------


@transaction.atomic
def inspection_record(
    *,
    by,
    application: DecorationApplication,
    inspected_on: date,
    inspector,
    result: str,
    items: list[str],
    remarks: str = "",
    photos: Mapping[int, File] | None = None,
) -> Inspection:
    """Record an inspection of the works: passed, the decoration is accepted; failed, with
    the items to fix, it waits for a re-inspection. ``photos``: a photo of an item, by the
    item's index in ``items``."""
    require(by, MANAGE)
    application = locked(application)
    if result not in InspectionResult.values:
        raise RuleError(_("Choose the inspection's result."), field="result")
    target = (
        ApplicationStatus.PASSED if result == InspectionResult.PASS else ApplicationStatus.FAILED
    )
    transition(
        application,
        "status",
        target,
        refusal=_("Only a decoration in progress, or one to re-inspect, can be inspected."),
    )
    started = application.started_on
    if inspected_on not in date_bounds(
        timezone.localdate(), days_back=INSPECTION_DAYS_BACK, not_before=started
    ):
        raise RuleError(
            _("The inspection's date must be from the start of the works (%(date)s) to today.")
            % {"date": started},
            field="inspected_on",
        )
    if inspector is None:
        raise RuleError(_("Name the inspector."), field="inspector")
    photos = photos or {}
    if any(not (items[n] or "").strip() for n in photos):
        raise RuleError(_("A photo belongs to an item: describe the item."), field="items")
    listed = [(n, item.strip()) for n, item in enumerate(items) if item and item.strip()]
    items = [text for _n, text in listed]
    if result == InspectionResult.FAIL and not items:
        raise RuleError(_("A failed inspection lists the items to fix."), field="items")
    if len(items) > MAX_ITEMS:
        raise RuleError(_("List at most %(max)d items.") % {"max": MAX_ITEMS}, field="items")
    if any(len(item) > 200 for item in items):
        raise RuleError(_("Keep each item within 200 characters."), field="items")
    # Every photo is checked before anything is written.
    stored = {n: checked_photo(photos[n], field="items") for n in photos}
    inspection = Inspection.objects.create(
        application=application,
        inspected_on=inspected_on,
        inspector=inspector,
        result=result,
        remarks=(remarks or "").strip()[:200],
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    for position, (given, text) in enumerate(listed, start=1):
        item = InspectionItem.objects.create(
            inspection=inspection, position=position, description=text
        )
        if given in stored:
            file_row(InspectionPhoto, stored[given], by=by, item=item)
    reason = (
        gettext_noop("inspection passed")
        if target == ApplicationStatus.PASSED
        else (gettext_noop("inspection failed"))
    )
    save_change(application, reason, str(inspected_on))
    return inspection


@transaction.atomic
def application_close(*, by, application: DecorationApplication) -> DecorationApplication:
    """Close an accepted decoration once every card is back and every deposit of it is
    settled (refunded, forfeited or cancelled)."""
    application = change(
        application,
        ApplicationStatus.CLOSED,
        by=by,
        permission=MANAGE,
        refusal=_("Only a decoration whose final inspection passed can be closed."),
    )
    out = list(permits_not_ended(application).values_list("number", flat=True))
    if out:
        raise RuleError(_("Permits %(numbers)s are not back yet.") % {"numbers": "、".join(out)})
    if application.deposits.exclude(status__in=DEPOSIT_CLOSED).exists():
        raise RuleError(_("A deposit of this decoration is still held."))
    stamp(application, "closed", by)
    return save_change(application, gettext_noop("closed"))


# --- drawings and documents ---------------------------------------------------------------


@transaction.atomic
def application_document_add(
    *, by, application: DecorationApplication, kind: str, title: str, upload: File
) -> ApplicationDocument:
    """File a drawing or document with the application: a PDF that opens (its pages
    counted) or an image, re-encoded; stored under a server-made name with its SHA-256."""
    require(by, MANAGE)
    application = locked(application)
    if application.status in FINISHED:
        raise RuleError(_("Nothing more is filed with a rejected or closed application."))
    if kind not in DocumentKind.values:
        raise RuleError(_("Choose whether it is a drawing or a document."), field="kind")
    title = check_text(title, message=_("Give the file a title."), field="title", max_length=100)
    try:
        stored = clean_document(upload)
    except ValidationError as exc:
        raise RuleError(" ".join(exc.messages), field="file") from None
    return file_row(
        ApplicationDocument,
        stored,
        by=by,
        application=application,
        kind=kind,
        title=title,
        pages=stored.pages,
    )
