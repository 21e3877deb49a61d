"""Violations (违规记录): recorded against a decoration, a tenant or a unit, with a penalty
billed as a fees charge if any; resolved once."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import Tenant, Unit
from config.dates import date_bounds
from config.history import set_reason
from config.permissions import require
from config.states import locked, save_change
from config.validators import RuleError
from deposits.models import DecorationApplication, Violation, ViolationPhoto
from deposits.services.deposits import stored_text
from deposits.services.uploads import checked_photo, file_row
from deposits.validators import check_amount, check_text
from fees.models import FeeType
from fees.services.charges import charge_bill

MANAGE = "deposits.manage_decoration"
PENALTY_FEE = "penalty"
# A violation is recorded within this many days of happening.
DAYS_BACK = 90
PENALTY_DUE_DAYS = 15


@transaction.atomic
def violation_record(
    *,
    by,
    description: str,
    occurred_on: date,
    application: DecorationApplication | None = None,
    tenant: Tenant | None = None,
    unit: Unit | None = None,
    penalty: Decimal | None = None,
    penalty_due_on: date | None = None,
    photo: File | None = None,
) -> Violation:
    """Record what was done wrong and when; a penalty is billed to the tenant as a charge
    (违约金) in the same transaction. Against a decoration, its tenant and unit are the ones
    concerned."""
    require(by, MANAGE)
    if application is not None:
        tenant, unit = application.tenant, application.unit
    if tenant is None and unit is None:
        raise RuleError(_("Say whom the violation is against."), field="tenant")
    description = check_text(description, message=_("Say what happened."), field="description")
    today = timezone.localdate()
    if occurred_on not in date_bounds(today, days_back=DAYS_BACK):
        raise RuleError(
            _("The date must be within the last %(days)d days.") % {"days": DAYS_BACK},
            field="occurred_on",
        )
    # The evidence is checked before the penalty is billed: a bad photo writes nothing.
    evidence = checked_photo(photo, field="photo") if photo is not None else None
    charge = None
    if penalty is not None:
        if tenant is None:
            raise RuleError(_("A penalty is billed to a tenant: name the tenant."), field="tenant")
        amount = check_amount(penalty, field="penalty")
        charge = charge_bill(
            by=by,
            tenant=tenant,
            unit=unit,
            fee_type=FeeType.objects.get(code=PENALTY_FEE),
            description=stored_text(gettext_noop("Penalty: %(what)s"), what=description)[:200],
            amount=amount,
            billed_on=today,
            due_on=penalty_due_on or today + timedelta(days=PENALTY_DUE_DAYS),
        )
    violation = Violation(
        application=application,
        tenant=tenant,
        unit=unit,
        description=description,
        occurred_on=occurred_on,
        penalty=charge,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    set_reason(violation, gettext_noop("recorded"))
    violation.save()
    if evidence is not None:
        file_row(ViolationPhoto, evidence, by=by, violation=violation)
    return violation


@transaction.atomic
def violation_resolve(*, by, violation: Violation, resolution: str) -> Violation:
    """The violation was put right; how is written once. A penalty still owed stays a charge
    of the tenant (the refund gate asks for it separately)."""
    require(by, MANAGE)
    violation = locked(violation)
    if violation.resolved_on is not None:
        raise RuleError(_("This violation was resolved already."))
    violation.resolution = check_text(
        resolution, message=_("Say how it was put right."), field="resolution"
    )
    violation.resolved_on = timezone.localdate()
    violation.resolved_by = by
    return save_change(violation, gettext_noop("resolved"))
