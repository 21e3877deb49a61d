"""The shift handover's writes. The outgoing member of staff drafts it (the things handed
over with their counts, the pending matters) and submits it: the system then writes in
what is open in the other apps at that moment, and the figures stay as they were handed
over. The incoming member of staff answers each line: acknowledged, or disputed with a
note; nobody acknowledges a handover they handed over."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from attendance.models import (
    HandoverItem,
    HandoverState,
    ItemAnswer,
    ItemKind,
    Shift,
    ShiftHandover,
    Staff,
)
from attendance.models.handovers import COUNTED_KINDS
from attendance.selectors.diary import staff_of
from attendance.selectors.handovers import open_work
from config.history import set_reason
from config.permissions import require
from config.states import locked, save_change, transition

WRITE = "attendance.add_shifthandover"


@dataclass
class Counted:
    """A thing handed over: its kind, what it is (for "other"), and its count (the float's
    amount in yuan)."""

    kind: str
    quantity: Decimal
    label: str = ""


def _outgoing(by) -> Staff:
    staff = staff_of(by)
    if staff is None:
        raise ValidationError(_("Your login is not linked to a member of staff."))
    return staff


def _check(outgoing: Staff, incoming: Staff, day: date) -> None:
    if incoming.user_id is None:
        raise ValidationError(
            {"incoming": _("The incoming member of staff must have a login to acknowledge.")}
        )
    if incoming.pk == outgoing.pk:
        raise ValidationError({"incoming": _("A handover is given to somebody else.")})
    if not incoming.employed_on(day):
        raise ValidationError(
            {"incoming": _("%(name)s is not on the staff on that day.") % {"name": incoming.name}}
        )
    if day > timezone.localdate():
        raise ValidationError({"date": _("A handover is written on its day, not before.")})


def _write_lines(handover: ShiftHandover, counted: list[Counted], matters: list[str]) -> None:
    handover.items.all().delete()
    lines = []
    for thing in counted:
        if thing.kind not in COUNTED_KINDS:
            raise ValidationError(_("Unknown kind of item."))
        if thing.quantity is None or thing.quantity < 0:
            raise ValidationError(_("A count is zero or more."))
        label = thing.label.strip() or str(ItemKind(thing.kind).label)
        lines.append((thing.kind, label, thing.quantity))
    lines += [(ItemKind.MATTER, matter.strip(), None) for matter in matters if matter.strip()]
    HandoverItem.objects.bulk_create(
        HandoverItem(handover=handover, position=n, kind=kind, label=label[:200], quantity=q)
        for n, (kind, label, q) in enumerate(lines, start=1)
    )


@transaction.atomic
def handover_draft(
    *,
    by,
    date: date,
    shift: Shift,
    incoming: Staff,
    counted: list[Counted],
    matters: list[str],
    notes: str = "",
) -> ShiftHandover:
    """The outgoing person's draft: theirs, to somebody else with a login."""
    require(by, WRITE)
    outgoing = _outgoing(by)
    _check(outgoing, incoming, date)
    handover = ShiftHandover(
        date=date,
        shift=shift,
        outgoing=outgoing,
        incoming=incoming,
        notes=(notes or "").strip(),
        created_by=by,
        created_at=timezone.now(),
    )
    set_reason(handover, gettext_noop("Handover drafted"))
    handover.save()
    _write_lines(handover, counted, matters)
    return handover


def _own_draft(handover: ShiftHandover, by) -> ShiftHandover:
    require(by, WRITE)
    handover = locked(handover)
    if handover.outgoing.user_id != by.pk:
        raise PermissionDenied(_("Only the outgoing member of staff changes a handover."))
    if handover.state != HandoverState.DRAFT:
        raise ValidationError(_("This handover was submitted: it is not changed any more."))
    return handover


@transaction.atomic
def handover_change(
    *,
    handover: ShiftHandover,
    by,
    date: date,
    shift: Shift,
    incoming: Staff,
    counted: list[Counted],
    matters: list[str],
    notes: str = "",
) -> ShiftHandover:
    handover = _own_draft(handover, by)
    _check(handover.outgoing, incoming, date)
    handover.date, handover.shift, handover.incoming = date, shift, incoming
    handover.notes = (notes or "").strip()
    set_reason(handover, gettext_noop("Handover changed"))
    handover.save()
    _write_lines(handover, counted, matters)
    return handover


@transaction.atomic
def handover_submit(*, handover: ShiftHandover, by, notes: str | None = None) -> ShiftHandover:
    """Submitted by the outgoing person: the open work of the other apps is written in as it
    stands now, and stays so whatever happens to those records later."""
    handover = _own_draft(handover, by)
    if notes is not None:
        handover.notes = notes.strip()
    now = timezone.now()
    transition(handover, "state", HandoverState.SUBMITTED)
    handover.submitted_at = now
    last = handover.items.order_by("-position").values_list("position", flat=True).first() or 0
    figures = open_work(timezone.localdate(now), now)
    HandoverItem.objects.bulk_create(
        HandoverItem(
            handover=handover,
            position=last + n,
            kind=ItemKind.OPEN_WORK,
            code=figure.code,
            label=figure.code,
            quantity=figure.count,
            detail="\n".join(figure.lines),
        )
        for n, figure in enumerate(figures, start=1)
    )
    return save_change(handover, gettext_noop("Shift handed over"))


def _incoming(handover: ShiftHandover, by) -> ShiftHandover:
    require(by, WRITE)
    handover = locked(handover)
    if handover.outgoing.user_id == by.pk:
        raise PermissionDenied(_("Nobody acknowledges a handover they handed over."))
    if handover.incoming.user_id != by.pk:
        raise PermissionDenied(_("Only the incoming member of staff acknowledges a handover."))
    if handover.state != HandoverState.SUBMITTED:
        raise ValidationError(_("This handover is not waiting for acknowledgement."))
    return handover


def _finish_if_answered(handover: ShiftHandover, now) -> None:
    answers = set(handover.items.values_list("answer", flat=True))
    if ItemAnswer.PENDING in answers:
        return
    target = (
        HandoverState.DISPUTED if ItemAnswer.DISPUTED in answers else HandoverState.ACKNOWLEDGED
    )
    transition(handover, "state", target)
    handover.acknowledged_at = now
    save_change(handover, gettext_noop("Handover acknowledged"))


def _answer(item: HandoverItem, answer: str, note: str, now) -> None:
    set_reason(item, gettext_noop("Handover line answered"))
    item.answer, item.answer_note, item.answered_at = answer, note, now
    item.save()


@transaction.atomic
def handover_item_answer(
    *, item: HandoverItem, by, disputed: bool = False, note: str = ""
) -> HandoverItem:
    """The incoming person acknowledges one line, or disputes it with a note."""
    handover = _incoming(item.handover, by)
    item = HandoverItem.objects.select_for_update().get(pk=item.pk, handover=handover)
    if item.answer != ItemAnswer.PENDING:
        raise ValidationError(_("This line was answered already."))
    note = (note or "").strip()
    if disputed and not note:
        raise ValidationError({"note": _("Say what is disputed.")})
    now = timezone.now()
    _answer(item, ItemAnswer.DISPUTED if disputed else ItemAnswer.ACKNOWLEDGED, note, now)
    _finish_if_answered(handover, now)
    return item


@transaction.atomic
def handover_acknowledge_all(*, handover: ShiftHandover, by) -> ShiftHandover:
    """The incoming person acknowledges every line not answered yet."""
    handover = _incoming(handover, by)
    now = timezone.now()
    for item in handover.items.select_for_update().filter(answer=ItemAnswer.PENDING):
        _answer(item, ItemAnswer.ACKNOWLEDGED, "", now)
    _finish_if_answered(handover, now)
    return handover
