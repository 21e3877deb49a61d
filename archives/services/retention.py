"""Retention and destruction: holds placed and lifted by the manager; a destruction list
drawn by the desk from what is past its retention period (never a held item); its two
approvals, by the manager and by a second reviewer (the auditor), neither of them the
person who drew it nor the same person twice; its rejection; and the destruction recorded
with method, day and a named witness (监销), which marks the documents and records
destroyed (their rows stay)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import (
    RECORD_RETENTION_YEARS,
    CentreRecord,
    DestructionItem,
    DestructionList,
    DestructionMethod,
    DestructionSequence,
    Document,
    Hold,
    HoldReason,
    ListState,
    retention_ends,
)
from archives.selectors.retention import documents_due, list_items, records_due
from config.people import person_name
from config.permissions import require
from config.states import locked, save_change, transition
from config.validators import RuleError

VIEW_LIST = "archives.view_destructionlist"
DRAW = "archives.add_destructionlist"
APPROVE = "archives.approve_destructionlist"
REVIEW = "archives.review_destructionlist"
RECORD = "archives.record_destruction"
VIEW_HOLD = "archives.view_hold"
PLACE_HOLD = "archives.add_hold"
LIFT_HOLD = "archives.change_hold"

TEXT_MAX = 200


def _text(value: str, *, field: str, message: str, max_length: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if not text:
        raise RuleError(message, field=field)
    if len(text) > max_length:
        raise RuleError(_("Keep it within %(max)d characters.") % {"max": max_length}, field=field)
    return text


# --- holds --------------------------------------------------------------------------------


@transaction.atomic
def hold_place(
    *,
    by,
    reason: str,
    note: str,
    document: Document | None = None,
    record: CentreRecord | None = None,
) -> Hold:
    """Hold a document or a centre record (a dispute, an audit ...): while the hold stands
    it goes on no destruction list. One item may carry several holds."""
    require(by, PLACE_HOLD)
    if (document is None) == (record is None):
        raise ValueError("hold_place() holds one document or one record")
    if reason not in HoldReason.values:
        raise RuleError(_("Choose the reason for the hold."), field="reason")
    note = _text(note, field="note", message=_("Say what the hold is for (the case, the audit)."))
    item = locked(document or record)
    if item.destroyed_on is not None:
        raise RuleError(_("This was destroyed on %(day)s.") % {"day": item.destroyed_on})
    return Hold.objects.create(
        document=document,
        record=record,
        reason=reason,
        note=note,
        placed_by=by,
        placed_at=timezone.now(),
    )


@transaction.atomic
def hold_lift(*, by, hold: Hold, note: str) -> Hold:
    """Lift a hold, saying why; the hold's row stays, with who lifted it and when."""
    require(by, LIFT_HOLD)
    hold = locked(hold)
    if hold.lifted_at is not None:
        raise RuleError(_("This hold was lifted already."))
    hold.lift_note = _text(note, field="lift_note", message=_("Say why the hold is lifted."))
    hold.lifted_by, hold.lifted_at = by, timezone.now()
    hold.save(update_fields=["lift_note", "lifted_by", "lifted_at"])
    return hold


# --- destruction lists --------------------------------------------------------------------


def _number(year: int) -> str:
    """The next list number of the year (XH-2026-01 ...), its row locked until the caller's
    transaction ends: two desks drawing lists at once draw one after the other."""
    sequence, _created = DestructionSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"XH-{year}-{sequence.last:02d}"


def _document_line(document) -> DestructionItem:
    return DestructionItem(
        document=document,
        reference=document.file.number,
        title=document.title,
        kind=document.type.name_zh,
        dated_on=document.dated_on,
        pages=document.pages,
        retention_years=document.retention_years,
        closed_year=document.closed_year,
        expired_on=retention_ends(document.closed_year, document.retention_years),
    )


def _record_line(record) -> DestructionItem:
    years = RECORD_RETENTION_YEARS[record.retention]
    return DestructionItem(
        record=record,
        reference=record.number,
        title=record.title,
        kind=record.get_kind_display(),
        dated_on=record.date,
        pages=record.pages,
        retention_years=years,
        closed_year=record.closed_year,
        expired_on=retention_ends(record.closed_year, years),
    )


@transaction.atomic
def destruction_draw(*, by, review_due: date) -> DestructionList:
    """Draw a destruction list of every document and centre record past its retention
    period today (none under a hold, none on a list still to be decided), to be reviewed
    by ``review_due``."""
    require(by, DRAW)
    today = timezone.localdate()
    if review_due < today:
        raise RuleError(_("The review cannot be due before today."), field="review_due")
    number = _number(today.year)  # locks the year's drawing first
    documents = list(documents_due(today))
    records = list(records_due(today))
    if not documents and not records:
        raise RuleError(_("Nothing is past its retention period: there is nothing to list."))
    drawn = DestructionList(number=number, drawn_by=by, drawn_at=timezone.now())
    drawn.review_due = review_due
    save_change(drawn, gettext_noop("drawn up"))
    lines = [*map(_document_line, documents), *map(_record_line, records)]
    for line in lines:
        line.list = drawn
    DestructionItem.objects.bulk_create(lines, batch_size=500)
    return drawn


def _refuse_held(destruction_list: DestructionList) -> None:
    held = list_items(destruction_list).filter(held=True).values_list("reference", "title")
    if held:
        names = "; ".join(f"{reference} {title}" for reference, title in held[:5])
        raise RuleError(
            _("Lines of this list are under a hold (%(lines)s): reject the list.")
            % {"lines": names}
        )


def _approve(*, by, destruction_list: DestructionList, as_manager: bool) -> DestructionList:
    require(by, APPROVE if as_manager else REVIEW)
    destruction_list = locked(destruction_list)
    mine, other = (
        ("manager_approved", "reviewer_approved")
        if as_manager
        else ("reviewer_approved", "manager_approved")
    )
    if destruction_list.state not in (ListState.DRAWN, ListState.HALF_APPROVED):
        raise RuleError(
            _("This list is %(state)s: it cannot be approved.")
            % {"state": str(destruction_list.status.label).lower()}
        )
    if getattr(destruction_list, f"{mine}_by_id") is not None:
        raise RuleError(_("This approval was given already."))
    if destruction_list.drawn_by_id == by.pk:
        raise RuleError(_("Nobody approves a list they drew up themselves."))
    if getattr(destruction_list, f"{other}_by_id") == by.pk:
        raise RuleError(_("The two approvals must come from two different people."))
    _refuse_held(destruction_list)
    setattr(destruction_list, f"{mine}_by", by)
    setattr(destruction_list, f"{mine}_at", timezone.now())
    both = getattr(destruction_list, f"{other}_by_id") is not None
    transition(destruction_list, "state", ListState.APPROVED if both else ListState.HALF_APPROVED)
    return save_change(destruction_list, gettext_noop("approved"))


@transaction.atomic
def destruction_approve(*, by, destruction_list: DestructionList) -> DestructionList:
    """The manager's approval of a list."""
    return _approve(by=by, destruction_list=destruction_list, as_manager=True)


@transaction.atomic
def destruction_review(*, by, destruction_list: DestructionList) -> DestructionList:
    """The second reviewer's approval of a list (the auditor: config.roles)."""
    return _approve(by=by, destruction_list=destruction_list, as_manager=False)


@transaction.atomic
def destruction_reject(*, by, destruction_list: DestructionList, reason: str) -> DestructionList:
    """One of the approvers turns the list down, saying why: its lines may go on a later
    list (a document to keep longer is held first)."""
    if not (by.has_perm(APPROVE) or by.has_perm(REVIEW)):
        require(by, APPROVE)
    destruction_list = locked(destruction_list)
    if destruction_list.drawn_by_id == by.pk:
        raise RuleError(_("Nobody decides on a list they drew up themselves."))
    reason = _text(reason, field="reason", message=_("Say why the list is rejected."))
    transition(
        destruction_list,
        "state",
        ListState.REJECTED,
        refusal=_("Only a list awaiting approval can be rejected."),
    )
    destruction_list.rejected_by, destruction_list.rejected_at = by, timezone.now()
    destruction_list.rejection_reason = reason
    return save_change(destruction_list, gettext_noop("rejected"), reason)


@transaction.atomic
def destruction_record(
    *,
    by,
    destruction_list: DestructionList,
    method: str,
    destroyed_on: date,
    witness: str,
    witness_unit: str = "",
    place: str = "",
) -> DestructionList:
    """Record that an approved list was destroyed: how, on which day, where, and the
    witness (监销人) who saw it, another person than the one recording. Its documents and
    records are marked destroyed; every row stays, and the list becomes a permanent entry
    of the destruction register (销毁清册)."""
    require(by, RECORD)
    destruction_list = locked(destruction_list)
    if destruction_list.state != ListState.APPROVED:
        raise RuleError(_("Only a list approved by both approvers can be destroyed."))
    if method not in DestructionMethod.values:
        raise RuleError(_("Choose how it was destroyed."), field="method")
    if destroyed_on is None or destroyed_on > timezone.localdate():
        raise RuleError(_("Give the day it was destroyed (not a later day)."), field="destroyed_on")
    approved = max(destruction_list.manager_approved_at, destruction_list.reviewer_approved_at)
    if destroyed_on < timezone.localdate(approved):
        raise RuleError(
            _("It cannot have been destroyed before its approval."), field="destroyed_on"
        )
    witness = _text(
        witness, field="witness", message=_("Name the witness (监销人)."), max_length=50
    )
    if witness == person_name(by):
        raise RuleError(
            _("The witness is another person than the one who records the destruction."),
            field="witness",
        )
    _refuse_held(destruction_list)
    transition(destruction_list, "state", ListState.DESTROYED)
    destruction_list.method, destruction_list.destroyed_on = method, destroyed_on
    destruction_list.witness = witness
    destruction_list.witness_unit = (witness_unit or "").strip()[:100]
    destruction_list.place = (place or "").strip()[:100]
    destruction_list.destroyed_by, destruction_list.recorded_at = by, timezone.now()
    save_change(destruction_list, gettext_noop("destroyed"), witness)
    items = destruction_list.items
    Document.objects.filter(
        pk__in=items.filter(document__isnull=False).values("document_id")
    ).update(destroyed_on=destroyed_on)
    CentreRecord.objects.filter(
        pk__in=items.filter(record__isnull=False).values("record_id")
    ).update(destroyed_on=destroyed_on)
    return destruction_list
