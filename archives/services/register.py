"""State changes of the register; each runs in one transaction and leaves a history record."""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import AccessKind, AccessLog, Occupancy, Tenant, UnitStatus
from config.permissions import require
from config.privacy import ID_NUMBER, WHOLE
from config.states import locked, save_change


@transaction.atomic
def occupancy_move_in(*, occupancy: Occupancy, by) -> Occupancy:
    """Start a tenancy; the unit becomes occupied. Refused if the unit has a current one."""
    unit = locked(occupancy.unit)
    if unit.occupancies.filter(handed_over_on__isnull=True).exists():
        raise ValidationError(_("This unit has a current occupancy already: hand it over first."))
    occupancy.handed_over_on = None
    occupancy.save()
    if unit.status != UnitStatus.OCCUPIED:
        unit.status = UnitStatus.OCCUPIED
        save_change(unit, gettext_noop("move-in"))
    return occupancy


@transaction.atomic
def occupancy_hand_over(
    *,
    occupancy: Occupancy,
    by,
    handed_over_on: date,
    keys_returned: int,
    electricity_reading: Decimal | None,
    water_reading: Decimal | None,
    condition: str,
) -> Occupancy:
    """End the tenancy on ``handed_over_on`` with the handover's figures; the unit becomes
    vacant. The handover date is where the tenant file's retention clock starts. Only the
    shop handover (收铺) calls this, once its checklist is clear: the register has no page
    of its own that would bypass it."""
    require(by, "archives.change_occupancy")
    occupancy = locked(occupancy)
    if occupancy.handed_over_on is not None:
        raise ValidationError(_("This occupancy was handed over already."))
    if handed_over_on < occupancy.moved_in_on:
        raise ValidationError(_("The shop cannot be handed over before the move-in date."))
    occupancy.handed_over_on = handed_over_on
    occupancy.keys_returned = keys_returned
    occupancy.electricity_reading = electricity_reading
    occupancy.water_reading = water_reading
    occupancy.condition = condition
    occupancy.deposits_settled = True
    occupancy.handed_over_to = by
    save_change(occupancy, gettext_noop("shop handover"), str(handed_over_on))
    unit = locked(occupancy.unit)
    unit.status = UnitStatus.VACANT
    save_change(unit, gettext_noop("shop handover"))
    return occupancy


@transaction.atomic
def tenant_mark_verified(*, tenant: Tenant, by) -> Tenant:
    """Record that the tenant's details were checked with them today, unchanged, and who
    checked them."""
    require(by, "archives.change_tenant")
    tenant = locked(tenant)
    tenant.last_verified_on = timezone.localdate()
    tenant.last_verified_by = by
    return save_change(tenant, gettext_noop("details verified, no change"))


@transaction.atomic
def tenant_verify_with_changes(*, tenant: Tenant, by) -> Tenant:
    """Save the tenant's details as corrected with them (``tenant`` holds the edits, not
    saved yet) and mark them verified today by ``by``: the history keeps what changed."""
    require(by, "archives.change_tenant")
    locked(tenant)  # two desks verifying one tenant: the second waits for the first
    tenant.last_verified_on = timezone.localdate()
    tenant.last_verified_by = by
    return save_change(tenant, gettext_noop("details verified, corrected"))


@transaction.atomic
def id_number_reveal(*, record: models.Model, by, page: str) -> str:
    """The whole ID number of ``record`` (a tenant, a worker permit ...) for a user whose role
    may see it, written to the access log first: no whole number is shown unrecorded."""
    require(by, WHOLE[ID_NUMBER])
    access_record(record=record, by=by, kind=AccessKind.WHOLE_ID, page=page)
    return record.id_number


def access_record(
    *, record: models.Model, by, kind: str, page: str, **tenant_file_read
) -> AccessLog:
    """One line of the access log: ``by`` was shown ``kind`` of ``record`` on ``page``
    (for a tenant file's read: its ``file``, ``document`` and ``access_request`` too). The
    caller has checked the role; this is the one place a line is written."""
    return AccessLog.objects.create(
        user=by,
        kind=kind,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        subject=str(record)[:200],
        page=page[:200],
        **tenant_file_read,
    )
