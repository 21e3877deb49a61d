"""Shop handovers (收铺): the desk starts one for a current occupancy, counts the keys, reads
the meters (each billed), records the condition (each priced item billed) and charges the
late days; the manager confirms it complete while its checklist is clear (never who
prepared it), and the occupancy ends: the unit is vacant. The desk may cancel it instead.

Every step locks the handover's row first: of two people acting on one, the second waits
and then sees what the first did.
"""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import Occupancy
from archives.services import file_mark_moved_out, occupancy_hand_over
from config.dates import date_bounds
from config.duties import refuse_own_work
from config.money import CENT, ZERO, format_money
from config.permissions import require
from config.states import change, locked, require_state, save_change, stamp
from config.uploads import clean_image
from config.validators import RuleError
from deposits.enums import (
    CONDITION_FEE,
    LATE_HANDOVER_FEE,
    METER_FEES,
    METER_UNITS,
    Meter,
    MoveOutStatus,
)
from deposits.models import MoveOut, MoveOutItem, MoveOutReading
from deposits.selectors.moveouts import (
    late_amount,
    late_days_due,
    moveout_checklist,
    moveout_doers,
)
from deposits.services.deposits import stored_text
from deposits.validators import check_amount, check_text
from fees.models import Charge, FeeType
from fees.services.charges import charge_bill

PREPARE = "deposits.prepare_moveout"
COMPLETE = "deposits.complete_moveout"
# A handover is planned within these many days of today.
PLAN_DAYS_BACK = 30
PLAN_DAYS_AHEAD = 90
MAX_KEYS = 99
MAX_DAILY_FEE = Decimal("100000.00")
# Meters show at most eight whole digits.
MAX_READING = Decimal("99999999.99")
MAX_UNIT_PRICE = Decimal("1000.0000")
MAX_ITEMS = 50
PHOTO_LONGEST_SIDE = 1600


def _open(moveout: MoveOut) -> MoveOut:
    moveout = locked(moveout)
    require_state(
        moveout, "status", {MoveOutStatus.OPEN}, refusal=_("This shop handover is no longer open.")
    )
    return moveout


def _whole(value, *, field: str, low: int, high: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise RuleError(message, field=field) from None
    if isinstance(value, bool) or not low <= number <= high or str(number) != str(value).strip():
        raise RuleError(message, field=field)
    return number


def _decimal(value, *, field: str, places: int, high: Decimal, message: str) -> Decimal:
    """A figure from 0 to ``high`` with at most ``places`` decimals, typed as plain digits
    (no exponent, sign or full-width digits)."""
    if not isinstance(value, Decimal):
        text = str(value).strip()
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text, flags=re.ASCII):
            raise RuleError(message, field=field)
        value = Decimal(text)
    quantum = Decimal(1).scaleb(-places)
    if not value.is_finite() or not ZERO <= value <= high or value != value.quantize(quantum):
        raise RuleError(message, field=field)
    return value.quantize(quantum)


def _bill(moveout: MoveOut, *, by, code: str, description: str, amount: Decimal) -> Charge:
    """A charge of the handover, billed to the tenant for the unit, due on the handover."""
    today = timezone.localdate()
    occupancy = moveout.occupancy
    return charge_bill(
        by=by,
        tenant=occupancy.tenant,
        unit=occupancy.unit,
        fee_type=FeeType.objects.get(code=code),
        description=description[:200],
        amount=amount,
        billed_on=today,
        due_on=max(today, moveout.planned_on),
    )


# --- the desk ------------------------------------------------------------------------------


@transaction.atomic
def moveout_start(
    *, by, occupancy: Occupancy, planned_on: date, keys_issued, late_daily_fee
) -> MoveOut:
    """Open the shop handover of a current occupancy (one at a time): the handover date,
    the keys issued at the move-in and the lease's daily fee for a late handover (0: none)."""
    require(by, PREPARE)
    occupancy = locked(occupancy)
    if occupancy.handed_over_on is not None:
        raise RuleError(_("This occupancy was handed over already."))
    if MoveOut.objects.filter(occupancy=occupancy, status=MoveOutStatus.OPEN).exists():
        raise RuleError(_("A shop handover of this occupancy is open already."))
    today = timezone.localdate()
    bounds = date_bounds(
        today,
        days_back=PLAN_DAYS_BACK,
        days_ahead=PLAN_DAYS_AHEAD,
        not_before=occupancy.moved_in_on,
    )
    if planned_on not in bounds:
        raise RuleError(
            _("The handover date must be from %(first)s to %(last)s.")
            % {"first": bounds.first, "last": bounds.last},
            field="planned_on",
        )
    keys_issued = _whole(
        keys_issued,
        field="keys_issued",
        low=0,
        high=MAX_KEYS,
        message=_("Enter the number of keys issued, from 0 to %(max)d.") % {"max": MAX_KEYS},
    )
    late_daily_fee = _decimal(
        late_daily_fee,
        field="late_daily_fee",
        places=2,
        high=MAX_DAILY_FEE,
        message=_("Enter the daily fee as an amount from 0 to 100,000.00 (0: the lease has none)."),
    )
    moveout = MoveOut(
        occupancy=occupancy,
        started_by=by,
        started_at=timezone.now(),
        planned_on=planned_on,
        keys_issued=keys_issued,
        late_daily_fee=late_daily_fee,
    )
    try:
        with transaction.atomic():
            save_change(moveout, gettext_noop("started"), str(planned_on))
    except IntegrityError:  # another desk opened one at the same moment
        raise RuleError(_("A shop handover of this occupancy is open already.")) from None
    return moveout


@transaction.atomic
def moveout_count_keys(*, by, moveout: MoveOut, keys_returned) -> MoveOut:
    """Record how many keys came back (again, if more come later)."""
    require(by, PREPARE)
    moveout = _open(moveout)
    moveout.keys_returned = _whole(
        keys_returned,
        field="keys_returned",
        low=0,
        high=MAX_KEYS,
        message=_("Enter the number of keys returned, from 0 to %(max)d.") % {"max": MAX_KEYS},
    )
    moveout.keys_counted_by = by
    return save_change(
        moveout, gettext_noop("keys counted"), f"{moveout.keys_returned}/{moveout.keys_issued}"
    )


@transaction.atomic
def moveout_read_meter(
    *, by, moveout: MoveOut, meter: str, previous, final, unit_price
) -> MoveOutReading:
    """Record a meter's final reading once; what was used since the previous reading, at
    the unit price, is billed to the tenant in the same transaction (nothing if none)."""
    require(by, PREPARE)
    moveout = _open(moveout)
    if meter not in Meter.values:
        raise RuleError(_("Choose the meter."), field="meter")
    meter = Meter(meter)
    if moveout.readings.filter(meter=meter).exists():
        raise RuleError(
            _("The %(meter)s meter was read already.") % {"meter": str(meter.label).lower()},
            field="meter",
        )
    message = _("Enter the reading as a number from 0 with at most two decimals.")
    previous = _decimal(previous, field="previous", places=2, high=MAX_READING, message=message)
    final = _decimal(final, field="final", places=2, high=MAX_READING, message=message)
    if final < previous:
        raise RuleError(
            _("The final reading cannot be below the previous one (%(previous)s).")
            % {"previous": previous},
            field="final",
        )
    unit_price = _decimal(
        unit_price,
        field="unit_price",
        places=4,
        high=MAX_UNIT_PRICE,
        message=_("Enter the unit price as a number from 0 to 1,000 with at most four decimals."),
    )
    amount = ((final - previous) * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    charge = None
    if amount > ZERO:
        unit = METER_UNITS[meter]
        charge = _bill(
            moveout,
            by=by,
            code=METER_FEES[meter],
            description=stored_text(
                gettext_noop(
                    "Shop handover %(unit)s: %(meter)s %(previous)s–%(final)s, %(used)s %(units)s"
                    " × %(price)s"
                ),
                unit=moveout.occupancy.unit.code,
                meter=_meter_name(meter),
                previous=previous,
                final=final,
                used=final - previous,
                units=unit,
                price=format(unit_price.normalize(), "f"),
            ),
            amount=amount,
        )
    reading = MoveOutReading(
        moveout=moveout,
        meter=meter,
        previous=previous,
        final=final,
        unit_price=unit_price,
        amount=amount,
        charge=charge,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    reading.save()
    save_change(moveout, gettext_noop("meter read"), f"{_meter_name(meter)} {final}")
    return reading


def _meter_name(meter: Meter) -> str:
    return {Meter.WATER: "水表", Meter.ELECTRICITY: "电表", Meter.GAS: "燃气表"}[meter]


@transaction.atomic
def moveout_add_item(
    *, by, moveout: MoveOut, description: str, price, photo: File | None = None
) -> MoveOutItem:
    """Record one item of the unit's condition, with a photo if given; a price above 0 is
    billed to the tenant (to be paid, or deducted from a deposit through its refund)."""
    require(by, PREPARE)
    moveout = _open(moveout)
    if moveout.condition_confirmed_at is not None:
        raise RuleError(_("The condition was confirmed already: no item can be added."))
    if moveout.items.count() >= MAX_ITEMS:
        raise RuleError(_("At most %(max)d items.") % {"max": MAX_ITEMS})
    description = check_text(
        description, message=_("Describe what was found."), field="description"
    )
    price = _price(price)
    stored_photo = None
    if photo is not None:
        stored_photo = clean_image(photo, longest_side=PHOTO_LONGEST_SIDE, image_format="JPEG")
    charge = None
    if price > ZERO:
        charge = _bill(
            moveout,
            by=by,
            code=CONDITION_FEE,
            description=stored_text(
                gettext_noop("Shop handover %(unit)s: %(what)s"),
                unit=moveout.occupancy.unit.code,
                what=description,
            ),
            amount=price,
        )
    item = MoveOutItem(
        moveout=moveout,
        description=description,
        price=price,
        charge=charge,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    if stored_photo is not None:
        item.photo.save(stored_photo.name, stored_photo, save=False)
    item.save()
    save_change(moveout, gettext_noop("condition item"), f"{description} {format_money(price)}")
    return item


def _price(value) -> Decimal:
    """0 (an item noted, nothing to pay) or an amount of money."""
    try:
        if Decimal(str(value).strip()) == ZERO:
            return ZERO
    except (InvalidOperation, ValueError):
        pass
    return check_amount(value, field="price")


@transaction.atomic
def moveout_confirm_condition(*, by, moveout: MoveOut) -> MoveOut:
    """The condition is recorded in full: its items (which may be none) are final."""
    require(by, PREPARE)
    moveout = _open(moveout)
    if moveout.condition_confirmed_at is not None:
        raise RuleError(_("The condition was confirmed already."))
    stamp(moveout, "condition_confirmed", by)
    return save_change(moveout, gettext_noop("condition confirmed"), str(moveout.items.count()))


@transaction.atomic
def moveout_charge_late_days(*, by, moveout: MoveOut) -> MoveOut:
    """Bill the days from the lease's end to the handover date at the lease's daily fee."""
    require(by, PREPARE)
    moveout = _open(moveout)
    if moveout.late_charge_id is not None:
        raise RuleError(_("The late days were charged already."))
    days = late_days_due(moveout)
    if not days:
        raise RuleError(_("No late days are due for this handover."))
    amount = late_amount(moveout, days)
    moveout.late_days = days
    moveout.late_charge = _bill(
        moveout,
        by=by,
        code=LATE_HANDOVER_FEE,
        description=stored_text(
            gettext_noop(
                "Shop handover %(unit)s: %(days)s days late (lease ended %(end)s) × %(fee)s"
            ),
            unit=moveout.occupancy.unit.code,
            days=days,
            end=moveout.occupancy.lease_ends_on,
            fee=moveout.late_daily_fee,
        ),
        amount=amount,
    )
    return save_change(moveout, gettext_noop("late days charged"), format_money(amount))


@transaction.atomic
def moveout_cancel(*, by, moveout: MoveOut, reason: str) -> MoveOut:
    """Cancel an open handover with a reason; what it billed stays billed (it is owed)."""
    moveout = change(
        moveout,
        MoveOutStatus.CANCELLED,
        by=by,
        permission=PREPARE,
        refusal=_("Only an open shop handover can be cancelled."),
    )
    moveout.cancel_reason = check_text(
        reason, message=_("Say why the handover is cancelled."), field="reason"
    )
    stamp(moveout, "cancelled", by)
    return save_change(moveout, gettext_noop("cancelled"), moveout.cancel_reason)


# --- the manager ---------------------------------------------------------------------------


@transaction.atomic
def moveout_complete(*, by, moveout: MoveOut) -> MoveOut:
    """Confirm the handover complete, refused while any item of its checklist is open
    (each named) and to whoever prepared it; the occupancy ends on the handover date, the
    unit becomes vacant and the tenant's file (一户一档) is marked moved out."""
    moveout = change(
        moveout,
        MoveOutStatus.COMPLETE,
        by=by,
        permission=COMPLETE,
        refusal=_("Only an open shop handover can be completed."),
    )
    refuse_own_work(
        by,
        moveout_doers(moveout),
        _("You prepared this shop handover: another person confirms it complete."),
    )
    if moveout.planned_on > timezone.localdate():
        raise RuleError(
            _("The handover is planned for %(date)s: it is completed on that day or later.")
            % {"date": moveout.planned_on}
        )
    checklist = moveout_checklist(moveout)
    if not checklist.is_clear:
        raise RuleError(checklist.refusal())
    readings = {reading.meter: reading.final for reading in moveout.readings.all()}
    items = list(moveout.items.all())
    condition = (
        "\n".join(f"{item.description}（{format_money(item.price)}）" for item in items)
        if items
        else stored_text(gettext_noop("Nothing to record."))
    )
    stamp(moveout, "completed", by)
    save_change(moveout, gettext_noop("completed"), str(moveout.planned_on))
    occupancy_hand_over(
        occupancy=moveout.occupancy,
        by=by,
        handed_over_on=moveout.planned_on,
        keys_returned=moveout.keys_returned,
        electricity_reading=readings.get(Meter.ELECTRICITY),
        water_reading=readings.get(Meter.WATER),
        condition=condition,
    )
    # The tenant's file becomes a moved-out file: its retention clock starts at 收铺.
    file_mark_moved_out(by=by, occupancy=moveout.occupancy)
    return moveout
