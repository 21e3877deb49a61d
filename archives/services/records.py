"""The centre's own records: register a notice, letter or report under its number, open,
file into and close a yearly volume, send a notice to units and record their signatures.

Each runs in one transaction, checks the role first and leaves a history record."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import (
    DEFAULT_RETENTION,
    CentreRecord,
    NoticeDelivery,
    RecordKind,
    RecordSequence,
    Retention,
    Unit,
    Volume,
    record_number,
)
from archives.selectors.records import current_tenants
from config.numbering import next_value
from config.permissions import require
from config.states import locked, save_change
from config.uploads import clean_document
from config.validators import RuleError


def next_number(key: str) -> int:
    """The next value of one of the centre's record series, gapless (config.numbering)."""
    return next_value(RecordSequence, key)


def _saved(instance, by, reason: str, detail: str = "", *, when=None):
    """Save with the reason and the member of staff the history records (also when no
    request is at hand: a command, a test)."""
    instance._history_user = by  # django-simple-history's user for this save
    return save_change(instance, reason, detail, when=when)


def _check_volume(volume: Volume | None, year: int) -> Volume | None:
    """The volume, read again under its lock, if a record of ``year`` may be filed into it."""
    if volume is None:
        return None
    volume = locked(volume)
    if volume.year != year:
        raise RuleError(
            _(
                "A record of %(year)s is filed into a volume of %(year)s: "
                "volume %(volume)s is of %(volume_year)s."
            )
            % {"year": year, "volume": volume.code, "volume_year": volume.year},
            field="volume",
            field_message=_("Choose a volume of %(year)s (this one is of %(volume_year)s).")
            % {"year": year, "volume_year": volume.year},
        )
    if volume.is_closed:
        raise RuleError(
            _("Volume %(volume)s was closed on %(day)s: nothing more is filed into it.")
            % {"volume": volume.code, "day": volume.closed_on},
            field="volume",
        )
    return volume


@transaction.atomic
def volume_open(
    *, by, year: int, title: str, retention: str, cabinet: str = "", box: str = ""
) -> Volume:
    """A new volume of ``year``, numbered next in that year."""
    require(by, "archives.add_volume")
    if not title.strip():
        raise RuleError(_("A volume needs a title."), field="title")
    volume = Volume(
        year=year,
        number=next_number(f"volume-{year}"),
        title=title.strip(),
        retention=Retention(retention),
        cabinet=cabinet.strip(),
        box=box.strip(),
        created_by=by,
    )
    volume.full_clean()
    return _saved(volume, by, gettext_noop("volume opened"))


@transaction.atomic
def volume_change(
    *, volume: Volume, by, title: str, retention: str, cabinet: str, box: str
) -> Volume:
    """Change a volume's title, retention or shelf location; the history keeps each."""
    require(by, "archives.change_volume")
    volume = locked(volume)
    if not title.strip():
        raise RuleError(_("A volume needs a title."), field="title")
    volume.title = title.strip()
    volume.retention = Retention(retention)
    volume.cabinet, volume.box = cabinet.strip(), box.strip()
    return _saved(volume, by, gettext_noop("volume changed"))


@transaction.atomic
def volume_close(*, volume: Volume, by, on: date | None = None) -> Volume:
    """Close the volume (立卷完毕): nothing more is filed into it."""
    require(by, "archives.change_volume")
    volume = locked(volume)
    if volume.is_closed:
        raise ValidationError(_("This volume is closed already."))
    if not volume.records.exists():
        raise ValidationError(_("An empty volume cannot be closed: file its records first."))
    volume.closed_on = on or timezone.localdate()
    volume.closed_by = by
    return _saved(volume, by, gettext_noop("volume closed"))


@transaction.atomic
def record_register(
    *,
    by,
    kind: str,
    date: date,
    title: str,
    correspondent: str = "",
    summary: str = "",
    pages: int = 1,
    handled_by: str = "",
    retention: str = "",
    volume: Volume | None = None,
    scan=None,
) -> CentreRecord:
    """Register a record under the next number of its kind in its date's year; filed into
    ``volume`` if given (a volume of that year, still open). ``scan``: an uploaded PDF or
    image, checked and stored under a name the server makes, with its SHA-256."""
    require(by, "archives.add_centrerecord")
    kind = RecordKind(kind)
    if date > timezone.localdate():
        raise RuleError(_("A record cannot be dated after today."), field="date")
    if not title.strip():
        raise RuleError(_("A record needs a title."), field="title")
    volume = _check_volume(volume, date.year)
    stored = clean_document(scan) if scan else None
    sequence = next_number(f"{kind.value}-{date.year}")
    record = CentreRecord(
        kind=kind,
        year=date.year,
        sequence=sequence,
        number=record_number(kind, date.year, sequence),
        date=date,
        title=title.strip(),
        correspondent=correspondent.strip(),
        summary=summary.strip(),
        pages=pages,
        handled_by=handled_by.strip(),
        retention=Retention(retention) if retention else DEFAULT_RETENTION[kind],
        volume=volume,
        registered_by=by,
    )
    if stored is not None:
        record.scan.save(stored.content.name, stored.content, save=False)
        record.scan_sha256, record.scan_size = stored.sha256, stored.size
    return _saved(record, by, gettext_noop("registered"), record.number)


@transaction.atomic
def record_file(*, record: CentreRecord, volume: Volume, by) -> CentreRecord:
    """File the record into ``volume`` (of the record's year, still open); a record is
    moved out of an open volume only, a closed volume keeps what it holds."""
    require(by, "archives.change_centrerecord")
    record = locked(record)
    if record.volume_id == volume.pk:
        raise RuleError(_("The record is in this volume already."), field="volume")
    if record.volume_id is not None and locked(record.volume).is_closed:
        raise RuleError(
            _("The record is in closed volume %(volume)s: it stays there.")
            % {"volume": record.volume.code},
            field="volume",
        )
    record.volume = _check_volume(volume, record.year)
    return _saved(record, by, gettext_noop("filed"), record.volume.code)


@transaction.atomic
def notice_send(*, notice: CentreRecord, units, by) -> list[NoticeDelivery]:
    """Record that the notice goes to each of ``units`` (their current tenants noted); a
    unit it went to already is skipped. Returns the deliveries made."""
    require(by, "archives.add_noticedelivery")
    notice = locked(notice)
    if notice.kind != RecordKind.NOTICE:
        raise ValidationError(_("Only a notice to tenants is delivered to units."))
    units = list(units)
    if not units:
        raise RuleError(_("No unit was chosen to send the notice to."), field="units")
    sent = set(notice.deliveries.values_list("unit_id", flat=True))
    tenants = current_tenants([unit.pk for unit in units])
    now = timezone.now()
    made = []
    for unit in sorted(units, key=lambda u: u.code):
        if unit.pk in sent:
            continue
        delivery = NoticeDelivery(
            notice=notice, unit=unit, tenant_id=tenants.get(unit.pk), sent_by=by, sent_at=now
        )
        made.append(_saved(delivery, by, gettext_noop("notice sent"), when=now))
    return made


@transaction.atomic
def delivery_sign(
    *, delivery: NoticeDelivery, by, signed_by: str, signed_on: date | None = None, note: str = ""
) -> NoticeDelivery:
    """Record that the notice was signed for at the unit, by whom (the person at the
    unit) and when; the member of staff who records it is kept too."""
    require(by, "archives.change_noticedelivery")
    delivery = locked(delivery, queryset=NoticeDelivery.objects.select_related("notice"))
    signed_on = signed_on or timezone.localdate()
    if delivery.is_signed:
        raise ValidationError(
            _("Unit %(unit)s signed for this notice on %(day)s already.")
            % {"unit": Unit.objects.get(pk=delivery.unit_id).code, "day": delivery.signed_on}
        )
    if not signed_by.strip():
        raise RuleError(_("Name the person who signed for the notice."), field="signed_by")
    if signed_on > timezone.localdate():
        raise RuleError(_("A signature cannot be dated after today."), field="signed_on")
    if signed_on < delivery.notice.date:
        raise RuleError(
            _("A signature cannot be dated before the notice (%(day)s).")
            % {"day": delivery.notice.date},
            field="signed_on",
        )
    delivery.signed_by = signed_by.strip()
    delivery.signed_on = signed_on
    delivery.note = note.strip()
    delivery.recorded_by = by
    return _saved(delivery, by, gettext_noop("signed for"))
