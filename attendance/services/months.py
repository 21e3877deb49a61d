"""The manager's signature of a month's attendance: it locks the month (amendments after
it need the manager's permission and a reason, attendance.services.register)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import MonthSignoff
from attendance.selectors.months import month_days, month_sheet
from config.permissions import require
from config.validators import RuleError

SIGN = "attendance.sign_month"


@transaction.atomic
def month_sign(*, by, year: int, month: int, today: date | None = None) -> MonthSignoff:
    """Sign a month that is over and whose every working day is registered for everyone
    employed; once only."""
    require(by, SIGN)
    today = today or timezone.localdate()
    if month_days(year, month)[-1] >= today:
        raise RuleError(_("A month is signed once it is over."))
    if MonthSignoff.objects.filter(year=year, month=month).exists():
        raise RuleError(_("This month is already signed."))
    sheet = month_sheet(year, month)
    if not sheet.rows:
        raise RuleError(_("Nobody was employed in this month: there is nothing to sign."))
    if sheet.unrecorded:
        raise RuleError(
            _("%(count)s working days of staff are not registered yet: register them first.")
            % {"count": sheet.unrecorded}
        )
    try:
        with transaction.atomic():
            return MonthSignoff.objects.create(
                year=year, month=month, signed_by=by, signed_at=timezone.now()
            )
    except IntegrityError:  # signed at the same moment by someone else
        raise RuleError(_("This month is already signed.")) from None
