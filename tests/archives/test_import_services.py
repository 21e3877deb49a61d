"""The day-one import: the dry run's report row by row, all or nothing, updates, duplicates."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archives.models import (
    ImportStatus,
    Occupancy,
    OccupancyRole,
    RegisterImport,
    Tenant,
    TenantKind,
    Unit,
    UnitStatus,
)
from archives.services.imports import (
    AREA,
    BUSINESS,
    CONTACT,
    CREDIT_CODE,
    ID_NUMBER,
    KIND,
    LEASE_END,
    LEASE_START,
    NAME,
    PHONE,
    ROLE,
    STATUS,
    UNIT_CODE,
    import_check,
    import_confirm,
    read_dataset,
)
from tests.archives.import_files import xlsx
from tests.factories.archives import OccupancyFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db

# Valid identifiers (check characters computed by python-stdnum).
CREDIT_1 = "91350100M000100Y43"
CREDIT_2 = "91110108MA01KL2X46"
PERSON_ID = "11010519491231002X"


def company_row(code="A-1-05", credit=CREDIT_1, name="福州好味餐饮有限公司", **extra):
    return {
        UNIT_CODE: code,
        AREA: 45.5,
        BUSINESS: "餐饮",
        NAME: name,
        KIND: "企业",
        CREDIT_CODE: credit,
        CONTACT: "林小红",
        PHONE: "13812345678",
        LEASE_START: date(2025, 3, 1),
        LEASE_END: date(2028, 2, 29),
        **extra,
    }


def person_row(code="A-1-06", **extra):
    return {
        UNIT_CODE: code,
        AREA: 30,
        NAME: "陈大文",
        KIND: "个人",
        ID_NUMBER: PERSON_ID,
        PHONE: "13900001111",
        ROLE: "业主",
        LEASE_START: date(2024, 7, 1),
        **extra,
    }


def errors_of(register_import) -> dict[int, list[list[str]]]:
    return {row["row"]: row["errors"] for row in register_import.report if row["errors"]}


def check(rows, manager, name="list.xlsx"):
    return import_check(content=xlsx(rows), file_name=name, by=manager)


def confirm(register_import, manager):
    return import_confirm(
        register_import=register_import, sha256=register_import.sha256, by=manager
    )


def test_the_stdnum_identifiers_used_here_are_valid():
    from stdnum.cn import ric, uscc

    assert uscc.is_valid(CREDIT_1) and uscc.is_valid(CREDIT_2)
    assert ric.is_valid(PERSON_ID)


def test_a_clean_file_is_checked_then_imported_whole(manager):
    register_import = check(
        [company_row(), person_row(), {UNIT_CODE: "b-2-112", AREA: "120.00"}], manager
    )

    assert register_import.status == ImportStatus.CHECKED
    assert (register_import.rows, register_import.rejected) == (3, 0)
    assert register_import.counts == {
        "unit": {"new": 3},
        "tenant": {"new": 2},
        "occupancy": {"new": 2},
    }
    # The dry run wrote nothing.
    assert (Unit.objects.count(), Tenant.objects.count(), Occupancy.objects.count()) == (0, 0, 0)

    done = confirm(register_import, manager)

    assert done.status == ImportStatus.IMPORTED
    assert (done.imported_by, done.rows) == (manager, 3)
    assert done.imported_at is not None
    assert (Unit.objects.count(), Tenant.objects.count(), Occupancy.objects.count()) == (3, 2, 2)
    shop = Unit.objects.get(code="A-1-05")
    assert (shop.block, shop.floor, shop.area) == ("A", 1, Decimal("45.50"))
    assert (shop.status, shop.business) == (UnitStatus.OCCUPIED, "餐饮")
    company = Tenant.objects.get(credit_code=CREDIT_1)
    assert (company.name, company.kind, company.contact_name, company.phone) == (
        "福州好味餐饮有限公司",
        TenantKind.COMPANY,
        "林小红",
        "13812345678",
    )
    person = Tenant.objects.get(id_number=PERSON_ID)
    assert (person.name, person.kind, person.contact_name) == (
        "陈大文",
        TenantKind.PERSON,
        "陈大文",
    )
    lease = Occupancy.objects.get(unit=shop)
    assert (lease.tenant, lease.role, lease.moved_in_on, lease.lease_ends_on) == (
        company,
        OccupancyRole.LESSEE,
        date(2025, 3, 1),
        date(2028, 2, 29),
    )
    owner = Occupancy.objects.get(unit__code="A-1-06")
    assert (owner.role, owner.lease_ends_on) == (OccupancyRole.OWNER, None)
    vacant = Unit.objects.get(code="B-2-112")
    assert (vacant.status, vacant.area, vacant.occupancies.count()) == (
        UnitStatus.VACANT,
        Decimal("120.00"),
        0,
    )
    # The history says who imported, and from which import.
    record = company.history.get()
    assert (record.history_user, record.history_change_reason) == (
        manager,
        f"import from Excel: #{done.pk}",
    )


def test_good_and_bad_rows_each_bad_row_with_its_reason_and_nothing_imported(manager):
    rows = [
        company_row(),
        person_row(**{ID_NUMBER: "110105194912310021"}),  # wrong check digit
        company_row(code="A-1-07", credit="91350100M000100Y44", name="坏代码公司"),
        company_row(code="A-1-08", credit=CREDIT_2, name="坏手机公司", **{PHONE: "1381234"}),
        {UNIT_CODE: "C-3-01"},  # not in the register and no area to add it
        {UNIT_CODE: "A-1-09", AREA: 20, STATUS: "半开"},
    ]
    register_import = check(rows, manager)

    assert register_import.status == ImportStatus.REJECTED
    assert (register_import.rows, register_import.rejected) == (6, 5)
    assert errors_of(register_import) == {
        3: [
            [
                ID_NUMBER,
                "The check digit (last character) does not match: please re-check the number.",
            ]
        ],
        4: [
            [
                CREDIT_CODE,
                "The check character (last character) does not match: please re-check the code.",
            ]
        ],
        5: [[PHONE, "A mainland mobile number has 11 digits; this one has 7."]],
        6: [[AREA, "Unit C-3-01 is not in the register: give its area to add it."]],
        7: [[STATUS, "Unknown unit status; write one of: 空置、已入住、装修中、停用."]],
    }
    # The good row says what it would have done.
    assert register_import.report[0]["actions"] == {
        "unit": "new",
        "tenant": "new",
        "occupancy": "new",
    }

    with pytest.raises(ValidationError) as refused:
        confirm(register_import, manager)

    assert refused.value.messages == [
        "Rows of this file were rejected: correct the file and check it again."
    ]
    assert (Unit.objects.count(), Tenant.objects.count(), Occupancy.objects.count()) == (0, 0, 0)
    assert RegisterImport.objects.get().status == ImportStatus.REJECTED


def test_a_changed_row_updates_the_existing_unit_tenant_and_lease(manager):
    tenant = TenantFactory(credit_code=CREDIT_1, name="旧名字", phone="13800000000")
    lease = OccupancyFactory(
        unit=UnitFactory(code="A-1-05", area=Decimal("40.00"), status=UnitStatus.OCCUPIED),
        tenant=tenant,
        moved_in_on=date(2025, 3, 1),
    )
    register_import = check([company_row()], manager)

    assert errors_of(register_import) == {}
    assert register_import.report[0]["actions"] == {
        "unit": "changed",
        "tenant": "changed",
        "occupancy": "changed",
    }
    confirm(register_import, manager)

    tenant.refresh_from_db()
    lease.refresh_from_db()
    assert (tenant.name, tenant.phone, tenant.contact_name) == (
        "福州好味餐饮有限公司",
        "13812345678",
        "林小红",
    )
    assert (lease.unit.area, lease.lease_ends_on) == (Decimal("45.50"), date(2028, 2, 29))
    assert (Tenant.objects.count(), Occupancy.objects.count(), Unit.objects.count()) == (1, 1, 1)


def test_an_unchanged_row_changes_nothing(manager):
    first = check([company_row()], manager)
    confirm(first, manager)

    again = check([company_row()], manager)

    assert again.report[0]["actions"] == {
        "unit": "unchanged",
        "tenant": "unchanged",
        "occupancy": "unchanged",
    }
    confirm(again, manager)
    assert Tenant.objects.get().history.count() == 1


def test_duplicates_in_the_file_and_of_a_registered_tenant_are_rejected(manager):
    TenantFactory(credit_code=CREDIT_2, name="重名公司", phone="13700000000")
    OccupancyFactory(unit=UnitFactory(code="A-2-01"), tenant=TenantFactory())
    rows = [
        company_row(),
        company_row(credit="91350100M000100Y43"),  # the same unit again (rows 2 and 3)
        company_row(code="A-1-10", **{PHONE: "13811112222"}),  # same tenant, other mobile
        # Another credit code, but the name and mobile of a registered tenant.
        company_row(
            code="A-1-11",
            name="重名公司",
            **{PHONE: "13700000000", CREDIT_CODE: "9135010057500555X7"},
        ),
        company_row(code="A-2-01", credit=CREDIT_2, name="重名公司", **{PHONE: "13700000000"}),
    ]
    register_import = check(rows, manager)
    errors = errors_of(register_import)

    unit_twice = "Unit A-1-05 is on rows 2, 3: keep one row per unit."
    tenant_differs = (
        f"The tenant {CREDIT_1} is on rows 2, 3, 4 with different details: "
        "write the same name, contact and mobile on each."
    )
    assert errors[2] == [[UNIT_CODE, unit_twice], [NAME, tenant_differs]]
    assert errors[3] == [[UNIT_CODE, unit_twice], [NAME, tenant_differs]]
    assert errors[4] == [[NAME, tenant_differs]]
    assert [
        NAME,
        (
            "A tenant named 重名公司 with this mobile is registered already under another "
            "credit code: correct the row or the register."
        ),
    ] in errors[5]
    assert errors[6][-1][0] == UNIT_CODE
    assert errors[6][-1][1].startswith("Unit A-2-01 is let to ")
    assert register_import.rejected == 5


def test_a_lease_that_ends_before_it_starts_and_a_missing_start(manager):
    register_import = check(
        [
            company_row(**{LEASE_END: date(2024, 1, 1)}),
            person_row(**{LEASE_START: None}),
            person_row(code="A-1-07", **{LEASE_START: "2025-13-01", ID_NUMBER: PERSON_ID}),
        ],
        manager,
    )
    errors = errors_of(register_import)

    assert errors[2] == [[LEASE_END, "The lease cannot end before it starts."]]
    assert errors[3][-1] == [LEASE_START, "Give the lease start: the tenant moves in then."]
    assert [LEASE_START, "Not a date: write it as 2025-03-01."] in errors[4]


def test_the_confirmation_imports_only_the_checked_bytes(manager):
    register_import = check([company_row()], manager)

    with pytest.raises(ValidationError) as refused:
        import_confirm(
            register_import=register_import,
            sha256=hashlib.sha256(b"another file").hexdigest(),
            by=manager,
        )
    assert refused.value.messages == [
        "This is not the file that was checked: upload it and check it again."
    ]
    # Bytes changed behind the check's back are refused as well.
    RegisterImport.objects.filter(pk=register_import.pk).update(content=xlsx([person_row()]))
    with pytest.raises(ValidationError):
        confirm(register_import, manager)
    assert Tenant.objects.count() == 0


def test_a_file_is_imported_once(manager):
    register_import = confirm(check([company_row()], manager), manager)

    with pytest.raises(ValidationError) as refused:
        confirm(register_import, manager)

    assert refused.value.messages == ["This file was imported already."]
    assert Tenant.objects.count() == 1


def test_when_the_register_changed_since_the_check_nothing_is_imported(manager):
    register_import = check([person_row(), company_row()], manager)
    # Meanwhile someone lets A-1-05 to another tenant.
    OccupancyFactory(unit=UnitFactory(code="A-1-05"), tenant=TenantFactory())

    with pytest.raises(ValidationError) as refused:
        confirm(register_import, manager)

    assert refused.value.messages == [
        "The register changed since this file was checked: 1 rows would now be rejected, "
        "and nothing was imported. Check the file again."
    ]
    assert Tenant.objects.filter(id_number=PERSON_ID).exists() is False
    assert RegisterImport.objects.get().status == ImportStatus.CHECKED


def test_only_a_role_that_may_import_checks_or_confirms(assistant, manager):
    with pytest.raises(PermissionDenied):
        check([company_row()], assistant)
    register_import = check([company_row()], manager)
    with pytest.raises(PermissionDenied):
        confirm(register_import, assistant)
    assert Tenant.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a workbook", "The file is not an Excel workbook (.xlsx)"),
        (b"PK\x03\x04 broken zip", "The file is not an Excel workbook (.xlsx)"),
        (xlsx([], headers=["名称", "电话"]), "The first row must hold the template's"),
        (b"PK\x03\x04" + b"0" * (2 * 1024 * 1024), "The file is 2.0\xa0MB; at most 2.0\xa0MB"),
    ],
)
def test_a_file_that_is_not_the_template_is_refused(content, message):
    with pytest.raises(ValidationError) as refused:
        read_dataset(content)
    assert refused.value.messages[0].startswith(message)


def test_blank_rows_are_left_out_and_rows_keep_their_sheet_number(manager):
    register_import = check([{}, company_row(), {}, {UNIT_CODE: "A-1-20", AREA: 12}], manager)

    assert [row["row"] for row in register_import.report] == [3, 5]


def test_an_import_renews_postgresqls_planner_statistics_of_the_register(manager):
    register_import = check([company_row(), person_row()], manager)
    with CaptureQueriesContext(connection) as run:
        confirm(register_import, manager)
    analyzed = [q["sql"] for q in run.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql":
        assert analyzed == ['ANALYZE "archives_unit", "archives_tenant", "archives_occupancy"']
    else:
        assert analyzed == []  # SQLite keeps no statistics unless asked
