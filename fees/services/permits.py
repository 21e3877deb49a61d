"""Worker permits (装修人员出入证): issued with their receipt, returned, lost and reissued,
expired by a daily command."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from archives.models import Contractor, Unit
from config.history import set_reason
from config.money import ZERO
from config.permissions import require
from config.states import locked, save_change, transition
from config.uploads import clean_image
from config.validators import normalise_mobile, validate_mobile
from fees.enums import PayerKind, PermitStatus
from fees.models import FeeType, Permit, Receipt
from fees.services.numbering import next_number
from fees.services.receipts import LineInput, Payer, receipt_issue
from fees.signals import permit_issued, permit_lost, permit_returned
from fees.validators import check_id_number, check_validity

MAX_WORKERS = 10
PERMIT_FEE, CARD_FEE, CARD_DEPOSIT = "permit_fee", "card_fee", "permit_card_deposit"
# A permit photo is a face on a card: a JPEG this size prints sharp and stays small.
PHOTO_LONGEST_SIDE = 800
HOLDER_FIELDS = ("worker_name", "id_doc_type", "id_number", "phone", "contractor", "unit")


@dataclass
class WorkerInput:
    name: str
    id_doc_type: str
    id_number: str
    phone: str
    photo: File | None = None


def permit_number(year: int, sequence: int) -> str:
    return f"P{year}-{sequence:05d}"


def _prefixed(prefix: str, exc: ValidationError) -> ValidationError:
    return ValidationError(prefix + " ".join(exc.messages))


def _clean_workers(workers: list[WorkerInput]) -> list[WorkerInput]:
    if not workers:
        raise ValidationError(_("Enter at least one worker."))
    if len(workers) > MAX_WORKERS:
        raise ValidationError(
            _("At most %(max)d workers can be issued permits at once.") % {"max": MAX_WORKERS}
        )
    cleaned, seen = [], set()
    for n, worker in enumerate(workers, start=1):
        where = _("Worker %(n)d: ") % {"n": n}
        name = (worker.name or "").strip()
        if not name:
            raise ValidationError(where + _("enter the name."))
        try:
            number = check_id_number(worker.id_doc_type, worker.id_number)
            validate_mobile(worker.phone)
        except ValidationError as exc:
            raise _prefixed(where, exc) from None
        if number in seen:
            raise ValidationError(where + _("the same ID number is entered twice."))
        seen.add(number)
        try:
            photo = _photo_file(worker.photo)
        except ValidationError as exc:
            raise _prefixed(where + _("photo: "), exc) from None
        cleaned.append(
            WorkerInput(
                name=name,
                id_doc_type=worker.id_doc_type,
                id_number=number,
                phone=normalise_mobile(worker.phone),
                photo=photo,
            )
        )
    return cleaned


def _refuse_holders(workers: list[WorkerInput], today: date) -> None:
    """A worker carries one card at a time: an unexpired active permit blocks another."""
    held = {
        p.id_number: p
        for p in Permit.objects.filter(
            id_number__in=[w.id_number for w in workers],
            status=PermitStatus.ACTIVE,
            valid_to__gte=today,
        )
    }
    for n, worker in enumerate(workers, start=1):
        permit = held.get(worker.id_number)
        if permit is not None:
            raise ValidationError(
                _(
                    "Worker %(n)d (%(name)s) already holds permit %(number)s, valid until "
                    "%(date)s: return it or report it lost first."
                )
                % {"n": n, "name": worker.name, "number": permit.number, "date": permit.valid_to}
            )


def _fee(code: str) -> FeeType:
    fee = FeeType.objects.filter(code=code, active=True).first()
    if fee is None or fee.default_amount <= ZERO:
        raise ValidationError(
            _(
                "The fee “%(code)s” is missing from the catalogue or has no amount: "
                "ask the administrator."
            )
            % {"code": code}
        )
    return fee


def _photo_file(photo: File | None) -> File | None:
    """The photo decoded and re-encoded as a JPEG under a random name, whoever calls: only
    the picture is stored, never the uploader's name, metadata or bytes hidden after it."""
    if photo is None:
        return None
    return clean_image(photo, longest_side=PHOTO_LONGEST_SIDE, image_format="JPEG")


def _existing(request_key) -> Receipt | None:
    if request_key is None:
        return None
    return Receipt.objects.filter(request_key=request_key).first()


def _issue_number(today: date) -> str:
    return permit_number(today.year, next_number(f"permit-{today.year}"))


def _receipt_note(workers) -> str:
    # The note is printed on the receipt, which is Chinese whoever issues it.
    with override(settings.LANGUAGE_CODE):
        return (_("Worker permits: ") + "、".join(w.name for w in workers))[:200]


@transaction.atomic
def permit_issue(
    *,
    by,
    contractor: Contractor,
    unit: Unit | None,
    workers: list[WorkerInput],
    valid_from: date,
    valid_to: date,
    method: str,
    reference: str = "",
    request_key: uuid.UUID | None = None,
    with_card_deposit: bool = False,
) -> tuple[Receipt, list[Permit], bool]:
    """One receipt (permit fee, card fee, optional card deposit, each × workers) and one
    numbered permit per worker, all or nothing; (receipt, permits, False) on a resubmission."""
    require(by, "fees.issue_permit")
    receipt = _existing(request_key)
    if receipt is not None:
        return receipt, list(receipt.permits.order_by("number")), False
    today = timezone.localdate()
    workers = _clean_workers(workers)
    check_validity(valid_from, valid_to, today)
    if not contractor.active:
        raise ValidationError(_("This contractor is no longer active."))
    codes = [PERMIT_FEE, CARD_FEE] + ([CARD_DEPOSIT] if with_card_deposit else [])
    fees = [_fee(code) for code in codes]
    lines = [
        LineInput(fee_type=f, quantity=len(workers), unit_price=f.default_amount) for f in fees
    ]
    deposit = fees[2].default_amount if with_card_deposit else ZERO
    receipt, created = receipt_issue(
        by=by,
        payer=Payer(kind=PayerKind.CONTRACTOR, contractor=contractor),
        lines=lines,
        method=method,
        reference=reference,
        unit=unit,
        note=_receipt_note(workers),
        request_key=request_key,
    )
    if not created:  # a copy of this form won the race
        return receipt, list(receipt.permits.order_by("number")), False
    # Checked only now: receipt_issue holds the year's receipt-number row lock, so two desks
    # issuing for the same worker at once are serialised and the second one sees the first.
    _refuse_holders(workers, today)
    now = timezone.now()
    permits = []
    for worker in workers:
        permit = Permit(
            number=_issue_number(today),
            worker_name=worker.name,
            id_doc_type=worker.id_doc_type,
            id_number=worker.id_number,
            phone=worker.phone,
            photo=worker.photo,
            contractor=contractor,
            unit=unit,
            valid_from=valid_from,
            valid_to=valid_to,
            receipt=receipt,
            card_deposit=deposit,
            issued_by=by,
            issued_at=now,
        )
        set_reason(permit, gettext_noop("issued on receipt"), receipt.number)
        permit.save()
        permits.append(permit)
    for permit in permits:
        # Card by card, in this transaction: deposits takes each card's deposit.
        permit_issued.send(sender=Permit, permit=permit, by=by)
    return receipt, permits, True


def _move(permit: Permit, target: PermitStatus, refusal: str) -> None:
    """Change the permit's status; ``refusal`` names the present one as %(status)s."""
    current = permit.get_status_display().lower()
    transition(permit, "status", target, refusal=refusal % {"status": current})


@transaction.atomic
def permit_return(*, by, permit: Permit) -> Permit:
    """The card is back: the permit ends and its card deposit, if any, may be refunded."""
    require(by, "fees.issue_permit")
    permit = locked(permit)
    _move(permit, PermitStatus.RETURNED, _("This permit is %(status)s: it cannot be returned."))
    today = timezone.localdate()
    permit.returned_on = today
    if permit.card_deposit > ZERO:
        permit.deposit_released_on = today
    save_change(permit, gettext_noop("card returned"))
    permit_returned.send(sender=Permit, permit=permit, by=by)
    return permit


@transaction.atomic
def permit_report_lost(
    *,
    by,
    permit: Permit,
    reissue: bool = False,
    method: str = "",
    reference: str = "",
    request_key: uuid.UUID | None = None,
) -> tuple[Permit, Permit | None]:
    """The card is lost: its number is blocked for good; a reissue is a new permit with a
    new number, paid by a new receipt for the card fee. (lost permit, new permit or None)."""
    require(by, "fees.issue_permit")
    receipt = _existing(request_key)
    if receipt is not None:  # resubmitted form: the reissue happened already
        return Permit.objects.get(pk=permit.pk), receipt.permits.first()
    permit = locked(permit)
    today = timezone.localdate()
    # An expired card that never came back can still be reported lost (it settles the
    # "not returned" list), but only a card still in its validity is reissued.
    expired = permit.status == PermitStatus.EXPIRED or permit.valid_to < today
    _move(permit, PermitStatus.LOST, _("This permit is %(status)s: it cannot be reported lost."))
    if reissue and expired:
        raise ValidationError(
            _("This permit expired on %(date)s: issue a new permit instead of a replacement.")
            % {"date": permit.valid_to}
        )
    permit.lost_reported_on = today
    save_change(permit, gettext_noop("reported lost"))
    permit_lost.send(sender=Permit, permit=permit, by=by)
    if not reissue:
        return permit, None
    card_fee = _fee(CARD_FEE)
    receipt, created = receipt_issue(
        by=by,
        payer=Payer(kind=PayerKind.CONTRACTOR, contractor=permit.contractor),
        lines=[LineInput(fee_type=card_fee, quantity=1, unit_price=card_fee.default_amount)],
        method=method,
        reference=reference,
        unit=permit.unit,
        note=_("Replacement of lost permit %(number)s") % {"number": permit.number},
        request_key=request_key,
    )
    if not created:
        return permit, receipt.permits.first()
    replacement = Permit(
        number=_issue_number(today),
        # The same worker, photo, contractor and unit as the lost card.
        **{name: getattr(permit, name) for name in HOLDER_FIELDS},
        photo=permit.photo.name,
        valid_from=max(today, permit.valid_from),
        valid_to=permit.valid_to,
        receipt=receipt,
        replaces=permit,
        issued_by=by,
        issued_at=timezone.now(),
    )
    set_reason(replacement, gettext_noop("replaces lost permit"), permit.number)
    replacement.save()
    permit_issued.send(sender=Permit, permit=replacement, by=by)
    return permit, replacement


@transaction.atomic
def permits_expire(*, today: date) -> int:
    """Active permits whose last day is before today become expired; returns how many."""
    count = 0
    for permit in Permit.objects.select_for_update().filter(
        status=PermitStatus.ACTIVE, valid_to__lt=today
    ):
        transition(permit, "status", PermitStatus.EXPIRED)
        save_change(permit, gettext_noop("expired"))
        count += 1
    return count
