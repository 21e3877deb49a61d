"""Loans (借阅): lending a physical document of a tenant file, or a centre record, to a
named borrower until a due date (never a view-only one, never a destroyed one, never one
out on loan already),
and its return, checked: intact or damaged, and who received it."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import (
    MAX_LOAN_DAYS,
    RECORD_VIEW_ONLY_KINDS,
    CentreRecord,
    Document,
    Loan,
    ReturnCondition,
)
from config.permissions import require
from config.states import locked, save_change
from config.validators import RuleError

LEND = "archives.add_loan"
RECEIVE = "archives.change_loan"
NOTE_MAX = 200


def lendable_refusal(item: Document | CentreRecord) -> str:
    """Why ``item`` is not lent ("" when it may be): it was destroyed (the row stays for
    the destruction register, the paper is gone), or it is read at the centre only
    (文书档案只阅不借)."""
    if item.destroyed_on is not None:
        return _("This was destroyed on %(day)s: there is nothing left to lend.") % {
            "day": item.destroyed_on
        }
    if isinstance(item, Document) and item.type.view_only:
        return _("%(type)s is read at the centre and never lent (文书档案只阅不借).") % {
            "type": item.type.name
        }
    if isinstance(item, CentreRecord) and item.kind in RECORD_VIEW_ONLY_KINDS:
        return _("%(kind)s is read at the centre and never lent (文书档案只阅不借).") % {
            "kind": item.get_kind_display()
        }
    return ""


@transaction.atomic
def loan_lend(
    *,
    by,
    item: Document | CentreRecord,
    borrower,
    due_on: date,
    purpose: str = "",
    today: date | None = None,
) -> Loan:
    """Lend ``item`` to ``borrower`` until ``due_on``. Refused for a view-only item, for one
    out on loan already (decided under the item's lock) and for a due date outside the
    loan period."""
    require(by, LEND)
    today = today or timezone.localdate()
    item = locked(item)
    refusal = lendable_refusal(item)
    if refusal:
        raise ValidationError(refusal)
    field = "document" if isinstance(item, Document) else "record"
    if Loan.objects.filter(**{field: item}, returned_on__isnull=True).exists():
        raise ValidationError(_("This item is out on loan already: it must come back first."))
    if borrower is None or not borrower.is_active:
        raise RuleError(_("Name an active user as the borrower."), field="borrower")
    if not today <= due_on <= today + timedelta(days=MAX_LOAN_DAYS):
        raise RuleError(
            _("The due date is from today to %(days)d days ahead.") % {"days": MAX_LOAN_DAYS},
            field="due_on",
        )
    purpose = (purpose or "").strip()
    if len(purpose) > NOTE_MAX:
        raise RuleError(
            _("Keep it within %(max)d characters.") % {"max": NOTE_MAX}, field="purpose"
        )
    loan = Loan(
        **{field: item},
        borrower=borrower,
        purpose=purpose,
        lent_on=today,
        due_on=due_on,
        lent_by=by,
    )
    return save_change(loan, gettext_noop("lent"))


@transaction.atomic
def loan_return(
    *, by, loan: Loan, condition: str, note: str = "", today: date | None = None
) -> Loan:
    """Receive the item back, recording its condition (a damage described) and who
    received it. Refused for a loan returned already."""
    require(by, RECEIVE)
    loan = locked(loan)
    if not loan.is_open:
        raise ValidationError(_("This loan was returned already."))
    if condition not in ReturnCondition.values:
        raise RuleError(_("Say whether it came back intact or damaged."), field="condition")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise RuleError(
            _("Keep it within %(max)d characters.") % {"max": NOTE_MAX}, field="condition_note"
        )
    if condition == ReturnCondition.DAMAGED and not note:
        raise RuleError(_("Describe the damage."), field="condition_note")
    loan.returned_on = today or timezone.localdate()
    loan.received_by = by
    loan.condition = condition
    loan.condition_note = note
    return save_change(loan, gettext_noop("returned"))
