"""Callbacks (回访) on resolved cases: a satisfied one lets the manager close the case, an
unsatisfied one (a score of 1 or 2) reopens it to its department."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaints.enums import UNSATISFIED_AT_MOST, ActionKind, CallbackMethod, CaseStatus
from complaints.models import Callback, Case
from complaints.services.cases import _act, case_reopen
from config.history import set_reason
from config.permissions import require
from config.states import locked
from config.validators import RuleError

RECORD = "complaints.record_callback"


@transaction.atomic
def callback_record(
    *,
    by,
    case: Case,
    called_on: date,
    method: str,
    satisfaction: int,
    comment: str = "",
) -> Callback:
    """Record what the person who raised a resolved case said; at most 2 of 5 reopens it."""
    require(by, RECORD)
    case = locked(case)
    if case.status != CaseStatus.RESOLVED:
        raise RuleError(_("A callback is recorded on a resolved case."))
    if method not in CallbackMethod.values:
        raise RuleError(_("Say how the call back was made."), field="method")
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise RuleError(_("Satisfaction is a score from 1 to 5."), field="satisfaction")
    resolved_on = timezone.localdate(case.resolved_at)
    today = timezone.localdate()
    if not resolved_on <= called_on <= today:
        raise RuleError(
            _("The callback's date is between the day it was resolved (%(day)s) and today.")
            % {"day": resolved_on.isoformat()},
            field="called_on",
        )
    comment = (comment or "").strip()
    if satisfaction <= UNSATISFIED_AT_MOST and not comment:
        raise RuleError(_("Say what is still wrong: the case goes back."), field="comment")
    now = timezone.now()
    callback = Callback(
        case=case,
        called_on=called_on,
        by=by,
        method=method,
        satisfaction=satisfaction,
        comment=comment,
        recorded_at=now,
    )
    set_reason(callback, gettext_noop("recorded"))
    callback.save()
    summary = f"{satisfaction}/5 · {CallbackMethod(method).label}"
    _act(case, ActionKind.CALLBACK, by=by, at=now, note=f"{summary} {comment}".strip())
    if satisfaction <= UNSATISFIED_AT_MOST:
        case_reopen(by=by, case=case, note=comment, at=now)
    return callback
