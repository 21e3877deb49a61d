"""Tenant files (一户一档): opening one (its number made here), moving the paper file (each
move kept), filing a document with its optional scan (checked by decoding, stored under a
server-made name with the SHA-256 of the stored bytes) and closing the file at the shop
handover (收铺), where its retention clock starts."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import (
    Document,
    DocumentType,
    FileKind,
    FileLocation,
    FileSequence,
    Occupancy,
    PaperForm,
    Tenant,
    TenantFile,
    Unit,
)
from archives.selectors.files import missing_count
from config.permissions import require
from config.states import locked, save_change
from config.uploads import clean_document
from config.validators import RuleError

VIEW = "archives.view_tenantfile"
OPEN = "archives.add_tenantfile"
MOVE = "archives.change_tenantfile"
ADD_DOCUMENT = "archives.add_document"
VIEW_DOCUMENT = "archives.view_document"

MAX_PAGES = 9999
LOCATION_MAX = 20


def _text(value: str, *, field: str, message: str = "", max_length: int) -> str:
    text = (value or "").strip()
    if message and not text:
        raise RuleError(message, field=field)
    if len(text) > max_length:
        raise RuleError(_("Keep it within %(max)d characters.") % {"max": max_length}, field=field)
    return text


def _location(cabinet: str, box: str) -> tuple[str, str]:
    cabinet = _text(
        cabinet, field="cabinet", message=_("Say which cabinet holds it."), max_length=LOCATION_MAX
    )
    return cabinet, _text(box, field="box", max_length=LOCATION_MAX)


def files_missing_refresh(files: QuerySet[TenantFile] | None = None) -> int:
    """Write the stored count of missing required documents of ``files`` (every file when
    None), worked out in the database: after a document is filed, a file's kind changes,
    or the catalogue (its active types, what each kind requires) changes."""
    files = TenantFile.objects.all() if files is None else files
    return files.order_by().update(missing=missing_count())


def _missing_refresh(tenant_file: TenantFile) -> None:
    """The stored count of one file, written and read back onto the caller's instance."""
    files_missing_refresh(TenantFile.objects.filter(pk=tenant_file.pk))
    tenant_file.refresh_from_db(fields=["missing"])


def documents_retention_refresh(documents: QuerySet[Document] | None = None) -> int:
    """Write the stored last year of retention of ``documents`` (every document when None),
    worked out in the database: the year its file closed plus the years it is kept, empty
    while the file is open or when it is kept for ever. After a document is filed and after
    its file closes; a change of the catalogue leaves it alone (a document keeps the
    retention it was filed with)."""
    documents = Document.objects.all() if documents is None else documents
    closed_year = TenantFile.objects.filter(pk=OuterRef("file_id")).values(
        year=ExtractYear("closed_on")
    )
    return documents.order_by().update(
        retention_end_year=Subquery(closed_year) + F("retention_years")
    )


def file_number_next(year: int) -> str:
    """The next file number of ``year`` (DA-2026-0001 ...), its sequence locked until the
    caller's transaction ends: two desks opening files at once get two numbers."""
    sequence, _created = FileSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"DA-{year}-{sequence.last:04d}"


@transaction.atomic
def file_open(
    *,
    by,
    unit: Unit,
    tenant: Tenant,
    kind: str,
    opened_on: date,
    cabinet: str,
    box: str = "",
    notes: str = "",
) -> TenantFile:
    """Open the tenant's file for a unit they occupy or occupied, numbered, in its first
    place; refused while the pair has an open file."""
    require(by, OPEN)
    if kind not in FileKind.values:
        raise RuleError(_("Choose the kind of file."), field="kind")
    if opened_on > timezone.localdate():
        raise RuleError(_("A file cannot be opened on a later day."), field="opened_on")
    cabinet, box = _location(cabinet, box)
    unit = locked(unit)
    if not Occupancy.objects.filter(unit=unit, tenant=tenant).exists():
        raise RuleError(
            _("%(tenant)s has never occupied %(unit)s: move them in first.")
            % {"tenant": tenant, "unit": unit},
            field="unit",
        )
    if TenantFile.objects.filter(unit=unit, tenant=tenant, closed_on__isnull=True).exists():
        raise RuleError(
            _("%(tenant)s has an open file for %(unit)s already.")
            % {"tenant": tenant, "unit": unit},
            field="tenant",
        )
    tenant_file = TenantFile(
        number=file_number_next(opened_on.year),
        unit=unit,
        tenant=tenant,
        kind=kind,
        opened_on=opened_on,
        cabinet=cabinet,
        box=box,
        notes=(notes or "").strip(),
        opened_by=by,
    )
    save_change(tenant_file, gettext_noop("opened"))
    FileLocation.objects.create(
        file=tenant_file, cabinet=cabinet, box=box, moved_by=by, reason=_("opened")
    )
    _missing_refresh(tenant_file)
    return tenant_file


@transaction.atomic
def file_move(
    *, by, tenant_file: TenantFile, cabinet: str, box: str, reason: str = ""
) -> TenantFile:
    """Put the paper file somewhere else; the move is kept with who made it, and why."""
    require(by, MOVE)
    tenant_file = locked(tenant_file)
    cabinet, box = _location(cabinet, box)
    if (cabinet, box) == (tenant_file.cabinet, tenant_file.box):
        raise RuleError(_("The file is in this place already."), field="cabinet")
    reason = _text(reason, field="reason", max_length=200)
    tenant_file.cabinet, tenant_file.box = cabinet, box
    save_change(tenant_file, gettext_noop("moved"), tenant_file.location)
    FileLocation.objects.create(
        file=tenant_file, cabinet=cabinet, box=box, moved_by=by, reason=reason
    )
    return tenant_file


def _retention(doc_type: DocumentType, years: int | None, permanent: bool) -> int | None:
    """The document's retention (None: permanent): its type's unless given longer."""
    if permanent or years is None:
        return None if permanent else doc_type.retention_years
    if doc_type.retention_years is None:
        raise RuleError(
            _("%(type)s is kept permanently: a document of it cannot be kept for less.")
            % {"type": doc_type},
            field="retention_years",
        )
    if years < doc_type.retention_years:
        raise RuleError(
            _("%(type)s is kept at least %(years)d years: a document of it cannot be kept less.")
            % {"type": doc_type, "years": doc_type.retention_years},
            field="retention_years",
        )
    return years


@transaction.atomic
def document_add(
    *,
    by,
    tenant_file: TenantFile,
    doc_type: DocumentType,
    title: str,
    dated_on: date,
    pages: int | None,
    paper: str = PaperForm.ORIGINAL,
    cabinet: str = "",
    box: str = "",
    retention_years: int | None = None,
    permanent: bool = False,
    confidential: bool = False,
    remarks: str = "",
    upload: File | None = None,
) -> Document:
    """File a document: kept for its type's retention unless ``retention_years`` (longer) or
    ``permanent`` is given, never shorter; confidential whenever its
    type is; a scan is kept only once it decodes as a PDF or an image (an image re-encoded),
    stored under a server-made name with the SHA-256 of the bytes stored."""
    require(by, ADD_DOCUMENT)
    tenant_file = locked(tenant_file)
    if not doc_type.active:
        raise RuleError(_("This document type is no longer used."), field="doc_type")
    title = _text(title, field="title", message=_("Give the document a title."), max_length=100)
    if dated_on > timezone.localdate():
        raise RuleError(_("A document cannot be dated later than today."), field="dated_on")
    if paper not in PaperForm.values:
        raise RuleError(_("Say whether it is the original or a copy."), field="paper")
    cabinet = _text(cabinet, field="cabinet", max_length=LOCATION_MAX)
    box = _text(box, field="box", max_length=LOCATION_MAX)
    if box and not cabinet:
        raise RuleError(_("Say which cabinet holds the box."), field="cabinet")
    retention_years = _retention(doc_type, retention_years, permanent)
    stored = None
    if upload:
        try:
            stored = clean_document(upload)
        except ValidationError as exc:
            raise RuleError(" ".join(exc.messages), field="scan") from None
    pages = pages or (stored.pages if stored else None)
    if not pages or not 1 <= pages <= MAX_PAGES:
        raise RuleError(
            _("Give the number of pages (1 to %(max)d).") % {"max": MAX_PAGES}, field="pages"
        )
    document = Document(
        file=tenant_file,
        type=doc_type,
        title=title,
        dated_on=dated_on,
        pages=pages,
        paper=paper,
        cabinet=cabinet,
        box=box,
        retention_years=retention_years,
        confidential=bool(confidential) or doc_type.confidential,
        remarks=_text(remarks, field="remarks", max_length=200),
        added_by=by,
        added_at=timezone.now(),
    )
    if stored is not None:
        document.scan.save(stored.content.name, stored.content, save=False)
        document.scan_sha256 = stored.sha256
        document.scan_size = stored.size
    save_change(document, gettext_noop("filed"))
    # Filed into a closed file (papers found after the handover), its clock runs already.
    documents_retention_refresh(Document.objects.filter(pk=document.pk))
    document.refresh_from_db(fields=["retention_end_year"])
    _missing_refresh(tenant_file)
    return document


@transaction.atomic
def file_mark_moved_out(*, by, occupancy: Occupancy) -> TenantFile | None:
    """The tenant's open file for the handed-over unit becomes a moved-out file, closed on
    the handover date (its retention counts from the end of that year); None when the
    tenant has no open file for the unit."""
    require(by, "archives.change_occupancy")
    occupancy = locked(occupancy)  # as the handover just saved it
    if occupancy.handed_over_on is None:
        raise ValidationError(_("The shop has not been handed over yet."))
    tenant_file = (
        TenantFile.objects.select_for_update()
        .filter(unit_id=occupancy.unit_id, tenant_id=occupancy.tenant_id, closed_on__isnull=True)
        .first()
    )
    if tenant_file is None:
        return None
    tenant_file.kind = FileKind.MOVED_OUT
    tenant_file.closed_on = max(occupancy.handed_over_on, tenant_file.opened_on)
    save_change(tenant_file, gettext_noop("moved out"), str(tenant_file.closed_on))
    # Its documents' retention counts from the end of the year it closed.
    documents_retention_refresh(tenant_file.documents.all())
    # A moved-out file's catalogue is another.
    _missing_refresh(tenant_file)
    return tenant_file
