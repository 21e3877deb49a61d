"""The day-one import of units and tenants from Excel (django-import-export does the rows).

Every file is checked first: a dry run inside a transaction that is rolled back, giving a
row-by-row report of what would be created, changed or rejected and why. The import runs
only a file whose check rejected no row, all rows in one transaction or none; it reads the
bytes kept with the check (never the browser's copy) and checks them again first.

One row is one unit, with its current tenant and their tenancy when the unit is let. A
unit is found by its code (created when the row gives its area), a tenant by their unified
social credit code (a business) or resident ID number (an individual).
"""

import hashlib
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX
from import_export.results import RowResult
from tablib import Dataset

from archives.models import (
    UNIT_CODE_RE,
    IdDocType,
    ImportStatus,
    Occupancy,
    OccupancyRole,
    RegisterImport,
    Tenant,
    TenantKind,
    Unit,
    UnitStatus,
)
from config.history import set_reason
from config.permissions import require
from config.states import locked
from config.validators import normalise_identifier, normalise_mobile

PERMISSION = "archives.import_register"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
ZIP_SIGNATURE = b"PK\x03\x04"

# The file's columns, by their fixed Chinese headers (a file format, whatever the reader's
# language): the template's order. The tenant summary's extra "区/楼层" is ignored.
UNIT_CODE = "单元编号"
AREA = "面积(m²)"
STATUS = "单元状态"
BUSINESS = "经营业态"
NAME = "业户名称"
KIND = "业户类型"
CREDIT_CODE = "统一社会信用代码"
CONTACT = "联系人"
ID_NUMBER = "身份证号码"
PHONE = "手机"
ROLE = "身份"
LEASE_START = "租期开始"
LEASE_END = "租期结束"
COLUMNS = (
    UNIT_CODE,
    AREA,
    STATUS,
    BUSINESS,
    NAME,
    KIND,
    CREDIT_CODE,
    CONTACT,
    ID_NUMBER,
    PHONE,
    ROLE,
    LEASE_START,
    LEASE_END,
)
TENANT_COLUMNS = (NAME, KIND, CREDIT_CODE, CONTACT, ID_NUMBER, PHONE)
# A model field's errors are reported under the column it came from.
FIELD_COLUMNS = {
    "code": UNIT_CODE,
    "area": AREA,
    "status": STATUS,
    "business": BUSINESS,
    "name": NAME,
    "kind": KIND,
    "credit_code": CREDIT_CODE,
    "contact_name": CONTACT,
    "id_number": ID_NUMBER,
    "phone": PHONE,
    "role": ROLE,
    "moved_in_on": LEASE_START,
    "lease_ends_on": LEASE_END,
}
# The hidden column carrying each row's number in the sheet (blank rows are left out).
SHEET_ROW = "__sheet_row"

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
REASON = gettext_noop("import from Excel")


# --- reading the file ----------------------------------------------------------------------


def _not_excel() -> ValidationError:
    return ValidationError(
        _("The file is not an Excel workbook (.xlsx): download the template and fill it in."),
        code="not_excel",
    )


def read_dataset(content: bytes):
    """The first sheet as a tablib Dataset with a hidden SHEET_ROW column; blank rows left
    out. ValidationError (for the upload field) when the file is not one we can read."""
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; at most %(max)s is accepted."),
            code="too_large",
            params={"size": filesizeformat(len(content)), "max": filesizeformat(MAX_BYTES)},
        )
    if not content.startswith(ZIP_SIGNATURE):
        raise _not_excel()
    try:
        sheet = XLSX().create_dataset(content)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, StopIteration):
        raise _not_excel() from None
    headers = [str(h).strip() if h is not None else "" for h in (sheet.headers or [])]
    if UNIT_CODE not in headers:
        raise ValidationError(
            _("The first row must hold the template's column headers (%(header)s is missing)."),
            code="headers",
            params={"header": UNIT_CODE},
        )
    dataset = Dataset(headers=[*headers, SHEET_ROW])
    for index, values in enumerate(sheet, start=2):
        values = [_plain(value) for value in values]
        if all(value in (None, "") for value in values):
            continue
        dataset.append([*values, index])
    if len(dataset) > MAX_ROWS:
        raise ValidationError(
            _("The file has %(n)d rows; at most %(max)d are imported at once."),
            code="too_many_rows",
            params={"n": len(dataset), "max": MAX_ROWS},
        )
    return dataset


def _plain(value):
    return value.strip() if isinstance(value, str) else value


def _text(row, column) -> str:
    value = row.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(row, column) -> date | None:
    value = row.get(column)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return date(year, month, day)
    except ValueError:
        raise ValueError(_("Not a date: write it as 2025-03-01.")) from None


def _choice(enum, text: str) -> str | None:
    """A TextChoices value from its value or its label in English or Chinese."""
    if not text:
        return None
    wanted = text.strip().lower()
    for value, label in enum.choices:
        names = {value.lower()}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(str(label).lower())
        if wanted in names:
            return value
    return None


def _choice_names(enum) -> str:
    with translation.override("zh-hans"):
        return "、".join(str(label) for label in enum.labels)


# --- one row ---------------------------------------------------------------------------


class AreaWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            area = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(_("The area is a number of square metres, such as 45.5.")) from None
        return area.quantize(Decimal("0.01"))


class CodeWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip().upper()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value).strip() if value not in (None, "") else None


@dataclass
class RowPlan:
    """What one valid row will write besides its unit (filled during the row's check)."""

    tenant: Tenant | None = None
    occupancy: Occupancy | None = None
    actions: dict[str, str] = field(default_factory=dict)


class RegisterRowResource(resources.ModelResource):
    """One sheet row: a unit found by its code, with its tenant and tenancy."""

    code = fields.Field(attribute="code", column_name=UNIT_CODE, widget=CodeWidget())
    area = fields.Field(
        attribute="area", column_name=AREA, widget=AreaWidget(), saves_null_values=False
    )
    business = fields.Field(
        attribute="business", column_name=BUSINESS, widget=TextWidget(), saves_null_values=False
    )

    class Meta:
        model = Unit
        fields = ("code", "area", "business")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_diff = True
        use_transactions = True

    def __init__(self, *, register_import: RegisterImport, by):
        super().__init__()
        self.register_import = register_import
        self.by = by
        self.in_file: dict[int, list[tuple[str, str]]] = {}
        self.plans: dict[int, RowPlan] = {}

    # --- the file as a whole: duplicates -------------------------------------------------

    def before_import(self, dataset, **kwargs):
        by_unit, by_tenant = defaultdict(list), defaultdict(list)
        for values in dataset.dict:
            number = values[SHEET_ROW]
            code = _text(values, UNIT_CODE).upper()
            if code:
                by_unit[code].append(number)
            key = _tenant_key(values)
            if key:
                details = tuple(_text(values, column) for column in TENANT_COLUMNS)
                by_tenant[key].append((number, details))
        for code, numbers in by_unit.items():
            if len(numbers) > 1:
                message = _("Unit %(code)s is on rows %(rows)s: keep one row per unit.") % {
                    "code": code,
                    "rows": ", ".join(map(str, numbers)),
                }
                for number in numbers:
                    self.in_file.setdefault(number, []).append((UNIT_CODE, message))
        for (_kind, identifier), rows in by_tenant.items():
            if len({details for _number, details in rows}) > 1:
                numbers = [number for number, _details in rows]
                message = _(
                    "The tenant %(id)s is on rows %(rows)s with different details: "
                    "write the same name, contact and mobile on each."
                ) % {"id": identifier, "rows": ", ".join(map(str, numbers))}
                for number in numbers:
                    self.in_file.setdefault(number, []).append((NAME, message))

    # --- each row ---------------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        number = row[SHEET_ROW]
        was = (instance.pk, instance.area, instance.business, instance.status)
        errors: dict[str, list] = defaultdict(list)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[FIELD_COLUMNS.get(name, name)].extend(messages)
        for column, message in self.in_file.get(number, []):
            errors[column].append(message)
        if UNIT_CODE_RE.match(instance.code or ""):
            block, floor, _number = instance.code.split("-")
            instance.block, instance.floor = block, int(floor)
        if instance.pk is None and instance.area is None and UNIT_CODE not in errors:
            errors[AREA].append(
                _("Unit %(code)s is not in the register: give its area to add it.")
                % {"code": instance.code}
            )
        plan = RowPlan()
        self._plan_tenancy(instance, row, plan, errors)
        plan.actions["unit"] = (
            NEW
            if was[0] is None
            else CHANGED
            if was[1:] != (instance.area, instance.business, instance.status)
            else UNCHANGED
        )
        self.plans[number] = plan
        if errors:
            raise ValidationError(dict(errors))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        failed = [name for name, column in FIELD_COLUMNS.items() if column in errors]
        try:
            instance.full_clean(exclude=["block", "floor", *failed])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(FIELD_COLUMNS.get(name, name), []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def _plan_tenancy(self, unit: Unit, row, plan: RowPlan, errors) -> None:
        current = (
            unit.occupancies.filter(handed_over_on__isnull=True).select_related("tenant").first()
            if unit.pk
            else None
        )
        status_text = _text(row, STATUS)
        status = _choice(UnitStatus, status_text)
        if status_text and status is None:
            errors[STATUS].append(
                _("Unknown unit status; write one of: %(names)s.")
                % {"names": _choice_names(UnitStatus)}
            )
        has_tenant = any(_text(row, column) for column in TENANT_COLUMNS)
        if not has_tenant:
            if status in (UnitStatus.OCCUPIED, UnitStatus.DECORATING) and current is None:
                errors[STATUS].append(
                    _("An occupied unit needs its tenant on the same row (name, kind, mobile).")
                )
            elif status in (UnitStatus.VACANT, UnitStatus.CLOSED) and current is not None:
                errors[STATUS].append(
                    _("Unit %(code)s has a current tenant: their shop handover comes first.")
                    % {"code": unit.code}
                )
            if status:
                unit.status = status
            plan.actions["tenant"] = plan.actions["occupancy"] = ""
            return
        if status in (UnitStatus.VACANT, UnitStatus.CLOSED):
            errors[STATUS].append(_("A unit with a tenant is occupied or under decoration."))
        elif status:
            unit.status = status
        elif unit.status not in (UnitStatus.OCCUPIED, UnitStatus.DECORATING):
            unit.status = UnitStatus.OCCUPIED
        tenant = self._tenant(row, plan, errors)
        if tenant is None:
            return
        self._occupancy(unit, current, tenant, row, plan, errors)

    def _tenant(self, row, plan: RowPlan, errors) -> Tenant | None:
        kind_text = _text(row, KIND)
        kind = _choice(TenantKind, kind_text)
        if kind is None:
            errors[KIND].append(
                _("Write the tenant's kind: %(names)s.") % {"names": _choice_names(TenantKind)}
            )
            return None
        credit_code = normalise_identifier(_text(row, CREDIT_CODE)).upper()
        id_number = normalise_identifier(_text(row, ID_NUMBER)).upper()
        key = _tenant_key(row)
        tenant = None
        if key:
            lookup = (
                {"credit_code": key[1]} if key[0] == TenantKind.COMPANY else {"id_number": key[1]}
            )
            tenant = Tenant.objects.filter(kind=kind, **lookup).first()
        before = None if tenant is None else _tenant_values(tenant)
        if tenant is None:
            tenant = Tenant(kind=kind, id_doc_type=IdDocType.RESIDENT_ID)
        tenant.name = _text(row, NAME)
        tenant.contact_name = _text(row, CONTACT) or (
            tenant.name if kind == TenantKind.PERSON else ""
        )
        tenant.phone = normalise_mobile(_text(row, PHONE))
        if kind == TenantKind.COMPANY:
            tenant.credit_code = credit_code
            if id_number:
                tenant.id_number = id_number
        else:
            tenant.id_number = id_number
            tenant.id_doc_type = IdDocType.RESIDENT_ID
            tenant.credit_code = credit_code
        try:
            tenant.full_clean(exclude=["created_at"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[FIELD_COLUMNS.get(name, NAME)].extend(messages)
        if tenant.pk is None and tenant.name and tenant.phone:
            twin = Tenant.objects.filter(name=tenant.name, phone=tenant.phone).first()
            if twin is not None:
                errors[NAME].append(
                    _(
                        "A tenant named %(name)s with this mobile is registered already under "
                        "another %(identifier)s: correct the row or the register."
                    )
                    % {
                        "name": twin.name,
                        "identifier": _("credit code")
                        if kind == TenantKind.COMPANY
                        else _("ID number"),
                    }
                )
        plan.tenant = tenant
        plan.actions["tenant"] = (
            NEW if before is None else CHANGED if before != _tenant_values(tenant) else UNCHANGED
        )
        return tenant

    def _occupancy(self, unit, current, tenant, row, plan: RowPlan, errors) -> None:
        try:
            start = _date(row, LEASE_START)
        except ValueError as exc:
            errors[LEASE_START].append(str(exc))
            start = None
        try:
            end = _date(row, LEASE_END)
        except ValueError as exc:
            errors[LEASE_END].append(str(exc))
            end = None
        role_text = _text(row, ROLE)
        role = _choice(OccupancyRole, role_text) if role_text else OccupancyRole.LESSEE
        if role is None:
            errors[ROLE].append(
                _("Write the tenure: %(names)s.") % {"names": _choice_names(OccupancyRole)}
            )
        if start and end and end < start:
            errors[LEASE_END].append(_("The lease cannot end before it starts."))
        if current is not None and (tenant.pk is None or current.tenant_id != tenant.pk):
            errors[UNIT_CODE].append(
                _("Unit %(code)s is let to %(tenant)s: their shop handover comes first.")
                % {"code": unit.code, "tenant": current.tenant.name}
            )
            return
        if current is None:
            if start is None and LEASE_START not in errors:
                errors[LEASE_START].append(_("Give the lease start: the tenant moves in then."))
            plan.occupancy = Occupancy(
                unit=unit, tenant=tenant, role=role or "", moved_in_on=start, lease_ends_on=end
            )
            plan.actions["occupancy"] = NEW
            return
        before = (current.role, current.moved_in_on, current.lease_ends_on)
        if role_text and role:
            current.role = role
        current.moved_in_on = start or current.moved_in_on
        current.lease_ends_on = end or current.lease_ends_on
        if current.lease_ends_on and current.lease_ends_on < current.moved_in_on:
            errors[LEASE_END].append(_("The lease cannot end before it starts."))
        plan.occupancy = current
        now = (current.role, current.moved_in_on, current.lease_ends_on)
        plan.actions["occupancy"] = CHANGED if before != now else UNCHANGED

    # --- writing (also in the dry run, whose transaction is rolled back) ------------------

    def do_instance_save(self, instance, is_create):
        self._save(instance)

    def after_save_instance(self, instance, row, **kwargs):
        plan = self.plans[row[SHEET_ROW]]
        if plan.tenant is not None:
            if plan.actions["tenant"] != UNCHANGED:
                self._save(plan.tenant)
            occupancy = plan.occupancy
            occupancy.tenant = plan.tenant
            occupancy.unit = instance
            if plan.actions["occupancy"] != UNCHANGED:
                self._save(occupancy)

    def _save(self, instance) -> None:
        """Saved with its history naming who imported, and which import."""
        set_reason(instance, REASON, f"#{self.register_import.pk}")
        instance._history_user = self.by  # also outside a request (a command, a test)
        instance.save()


def _tenant_key(row) -> tuple[str, str] | None:
    """How a row's tenant is found: by credit code (a business) or ID number (a person)."""
    kind = _choice(TenantKind, _text(row, KIND))
    column = CREDIT_CODE if kind == TenantKind.COMPANY else ID_NUMBER
    identifier = normalise_identifier(_text(row, column)).upper() if kind else ""
    return (kind, identifier) if identifier else None


def _tenant_values(tenant: Tenant) -> tuple:
    return (
        tenant.name,
        tenant.kind,
        tenant.credit_code,
        tenant.contact_name,
        tenant.id_number,
        tenant.phone,
    )


# --- the report --------------------------------------------------------------------------


def _report(dataset, result, resource: RegisterRowResource) -> list[dict]:
    """One dict per row: its sheet row, unit, tenant, what would happen, and why not."""
    report = []
    for values, row_result in zip(dataset.dict, result.rows, strict=True):
        number = values[SHEET_ROW]
        errors: list[list[str]] = []
        if row_result.import_type == RowResult.IMPORT_TYPE_INVALID:
            for column, messages in row_result.validation_error.message_dict.items():
                errors.extend([column, str(message)] for message in messages)
        elif row_result.import_type == RowResult.IMPORT_TYPE_ERROR:
            errors.extend(["", str(error.error)] for error in row_result.errors)
        plan = resource.plans.get(number, RowPlan())
        report.append(
            {
                "row": number,
                "unit": _text(values, UNIT_CODE).upper(),
                "tenant": _text(values, NAME),
                "actions": {} if errors else plan.actions,
                "errors": errors,
            }
        )
    return report


def _counts(report: list[dict]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for row in report:
        for kind, action in row["actions"].items():
            if action:
                counts.setdefault(kind, {}).setdefault(action, 0)
                counts[kind][action] += 1
    return counts


def _run(register_import: RegisterImport, *, by, dry_run: bool):
    dataset = read_dataset(bytes(register_import.content))
    resource = RegisterRowResource(register_import=register_import, by=by)
    result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True)
    report = _report(dataset, result, resource)
    return report, result


# --- the actions -------------------------------------------------------------------------


@transaction.atomic
def import_check(*, content: bytes, file_name: str, by) -> RegisterImport:
    """The dry run of an uploaded file, kept with its bytes and report; nothing of the
    register changes. A file that cannot be read raises ValidationError and is not kept."""
    require(by, PERMISSION)
    read_dataset(content)
    register_import = RegisterImport(
        file_name=file_name[:200],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        checked_by=by,
    )
    report, _result = _run(register_import, by=by, dry_run=True)
    register_import.report = report
    register_import.rows = len(report)
    register_import.rejected = sum(1 for row in report if row["errors"])
    register_import.counts = _counts(report)
    register_import.status = (
        ImportStatus.REJECTED if register_import.rejected else ImportStatus.CHECKED
    )
    set_reason(register_import, gettext_noop("checked"))
    register_import._history_user = by
    register_import.save()
    return register_import


def import_confirm(*, register_import: RegisterImport, sha256: str, by) -> RegisterImport:
    """Import the checked file: every row, or none (then nothing changes and the message
    says why). Only a file whose check rejected nothing, imported once."""
    require(by, PERMISSION)
    with transaction.atomic():
        register_import = locked(register_import)
        if register_import.status == ImportStatus.IMPORTED:
            raise ValidationError(_("This file was imported already."))
        if register_import.status != ImportStatus.CHECKED:
            raise ValidationError(
                _("Rows of this file were rejected: correct the file and check it again.")
            )
        stored = hashlib.sha256(bytes(register_import.content)).hexdigest()
        if sha256 != register_import.sha256 or stored != register_import.sha256:
            raise ValidationError(
                _("This is not the file that was checked: upload it and check it again.")
            )
        report, result = _run(register_import, by=by, dry_run=False)
        rejected = sum(1 for row in report if row["errors"])
        if rejected or result.has_errors():
            # The register changed since the check: the whole import is undone.
            transaction.set_rollback(True)
            failed = ValidationError(
                _(
                    "The register changed since this file was checked: %(n)d rows would now "
                    "be rejected, and nothing was imported. Check the file again."
                )
                % {"n": rejected}
            )
        else:
            failed = None
            register_import.report = report
            register_import.counts = _counts(report)
            register_import.status = ImportStatus.IMPORTED
            register_import.imported_by = by
            register_import.imported_at = timezone.now()
            set_reason(register_import, gettext_noop("imported"))
            register_import._history_user = by
            register_import.save()
    if failed is not None:
        raise failed
    refresh_planner_statistics()
    return register_import


# The tables an import writes, in bulk: their planner statistics are renewed after it.
IMPORTED_TABLES = (Unit, Tenant, Occupancy)


def refresh_planner_statistics() -> None:
    """PostgreSQL plans queries from statistics its autovacuum renews only later: a register
    imported whole into a young database would be read with plans made for an empty one (a
    scan of every unit where an index would serve). ANALYZE renews them at once. SQLite
    keeps no statistics unless asked and plans by its indexes, so nothing is done there."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in IMPORTED_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
