"""The register's part of the demo street: units, tenants, occupancies, contractors.

Used by the `demo_data` command through build() (a small street) and by the benchmark
(a very large one). Every identifier it makes passes the same checks as one typed at the desk.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from faker import Faker
from simple_history.utils import bulk_create_with_history

from archives.models import (
    Contractor,
    IdDocType,
    Occupancy,
    OccupancyRole,
    Tenant,
    TenantKind,
    Unit,
    UnitStatus,
)
from config.demo import DemoStreet, make_credit_code, make_mobile, make_resident_id

BUSINESSES = [
    "餐饮",
    "服装",
    "珠宝",
    "茶叶",
    "小吃",
    "书店",
    "数码",
    "美妆",
    "鞋包",
    "咖啡",
    "眼镜",
    "药店",
]

# The register's records were made this many days before the demo's today (their history
# says so): before anything the later parts do on the demo's days (fees.demo: 90 days).
REGISTER_DAYS = 100

# Leases that end about the demo's today, in days from it, set on the last occupancies of
# the street: one handed back a few weeks ago and one being handed back (deposits.demo plays
# their shop handovers), and one the desk is only reminded of (archives.panels).
LEASE_ENDS = {"handed_back": -21, "handing_back": 9, "reminded": 4}


def unit_codes(count: int) -> list[str]:
    """Codes spread over blocks and floors: A-1-01 ... with up to 40 units a floor."""
    codes = []
    blocks = [chr(ord("A") + i) for i in range(26)] + [
        a + b for a in "ABCDEFGH" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    ]
    per_floor, floors = 40, 3
    for block in blocks:
        for floor in range(1, floors + 1):
            for number in range(1, per_floor + 1):
                codes.append(f"{block}-{floor}-{number:02d}")
                if len(codes) == count:
                    return codes
    raise ValueError("Too many units asked for")


@transaction.atomic
def build_register(
    *,
    units: int,
    tenants: int,
    contractors: int,
    seed: int = 2026,
    today: date | None = None,
    history: bool = True,
    lease_ends: dict[str, int] | None = None,
) -> None:
    """Units, tenants (one per occupied unit, plus a few past ones), occupancies, contractors."""
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    today = today or date.today()
    made_at = timezone.make_aware(datetime.combine(today - timedelta(days=REGISTER_DAYS), time(9)))
    create = (
        (
            lambda objs, model, **kw: bulk_create_with_history(
                objs, model, default_date=made_at, **kw
            )
        )
        if history
        else (lambda objs, model, **kw: model.objects.bulk_create(objs, batch_size=2000))
    )

    unit_objs = []
    for code in unit_codes(units):
        block, floor, _number = code.split("-")
        unit_objs.append(
            Unit(
                code=code,
                block=block,
                floor=int(floor),
                area=Decimal(rng.randrange(2000, 20000)) / 100,
                business=rng.choice(BUSINESSES),
                status=UnitStatus.VACANT,
            )
        )
    create(unit_objs, Unit, batch_size=2000)
    unit_objs = list(Unit.objects.order_by("code"))

    tenant_objs = []
    for _index in range(tenants):
        is_company = rng.random() < 0.7
        contact = fake.name()
        tenant_objs.append(
            Tenant(
                name=fake.company() if is_company else contact,
                kind=TenantKind.COMPANY if is_company else TenantKind.PERSON,
                credit_code=make_credit_code(rng) if is_company else "",
                contact_name=contact,
                id_doc_type=IdDocType.RESIDENT_ID,
                id_number=make_resident_id(rng),
                phone=make_mobile(rng),
                address=fake.address()[:200],
                last_verified_on=today - timedelta(days=rng.randrange(0, 300)),
            )
        )
    create(tenant_objs, Tenant, batch_size=2000)
    tenant_objs = list(Tenant.objects.order_by("pk"))

    occupancy_objs = []
    occupied = []
    for index, unit in enumerate(unit_objs):
        if index >= len(tenant_objs) or rng.random() < 0.12:
            continue  # about one unit in eight stands vacant
        moved_in = today - timedelta(days=rng.randrange(30, 2000))
        occupancy_objs.append(
            Occupancy(
                unit=unit,
                tenant=tenant_objs[index],
                role=OccupancyRole.LESSEE if rng.random() < 0.8 else OccupancyRole.OWNER,
                moved_in_on=moved_in,
                # Past the reminder's days (archives.panels): it lists LEASE_ENDS' leases.
                lease_ends_on=today + timedelta(days=rng.randrange(16, 1000)),
            )
        )
        occupied.append(unit.pk)
    for days, occupancy in zip((lease_ends or {}).values(), reversed(occupancy_objs), strict=False):
        occupancy.lease_ends_on = today + timedelta(days=days)  # moved in 30 days ago or more
    create(occupancy_objs, Occupancy, batch_size=2000)
    Unit.objects.filter(pk__in=occupied).update(status=UnitStatus.OCCUPIED)

    contractor_objs = [
        Contractor(
            name=fake.company().replace("有限公司", "装饰工程有限公司"),
            credit_code=make_credit_code(rng),
            qualification=rng.choice(
                ["建筑装修装饰工程专业承包二级", "建筑装修装饰工程专业承包一级", ""]
            ),
            contact_name=fake.name(),
            phone=make_mobile(rng),
            address=fake.address()[:200],
        )
        for _index in range(contractors)
    ]
    create(contractor_objs, Contractor, batch_size=2000)


def has_data() -> bool:
    """A street is built once: a register with units is left as it is."""
    return Unit.objects.exists()


# How many of the street's current tenants have their file opened in the demo, and how many
# of those lack some required documents (the list's "has gaps").
DEMO_FILES = 24
DEMO_FILES_WITH_GAPS = 9


def build_files(
    *, count: int = DEMO_FILES, gaps: int = DEMO_FILES_WITH_GAPS, seed: int = 2026
) -> int:
    """Tenant files for the first current occupancies, through the desk's services: most
    complete, ``gaps`` of them lacking one to three required documents; no scans (fast)."""
    from archives.models import REQUIRED_FLAG, DocumentType, FileKind
    from archives.services import document_add, file_open
    from config.demo import acting, build_staff

    rng = random.Random(seed)
    desk = build_staff()["assistant"]
    catalogue = list(DocumentType.objects.filter(active=True))
    occupancies = Occupancy.objects.filter(handed_over_on__isnull=True).select_related(
        "unit", "tenant"
    )[:count]
    made = 0
    with acting(desk):
        for index, occupancy in enumerate(occupancies):
            kind = FileKind.DECORATING if index % 8 == 3 else FileKind.IN_BUSINESS
            tenant_file = file_open(
                by=desk,
                unit=occupancy.unit,
                tenant=occupancy.tenant,
                kind=kind,
                opened_on=occupancy.moved_in_on,
                cabinet=f"{occupancy.unit.block}区{1 + index // 10}号柜",
                box=f"{index % 10 + 1}号盒",
            )
            required = [t for t in catalogue if getattr(t, REQUIRED_FLAG[kind])]
            if index < gaps:
                required = rng.sample(required, len(required) - rng.randint(1, 3))
            for doc_type in required:
                document_add(
                    by=desk,
                    tenant_file=tenant_file,
                    doc_type=doc_type,
                    title=doc_type.name_zh,
                    dated_on=occupancy.moved_in_on,
                    pages=rng.randint(1, 12),
                    paper="copy" if doc_type.code == "id_copy" else "original",
                )
            made += 1
    return made


def build(street: DemoStreet) -> str:
    # Counted from the demo's today, as the later parts are: the leases ending about now
    # meet the handovers deposits.demo plays on the same days.
    build_register(
        units=street.units,
        tenants=street.units + 8,
        contractors=14,
        seed=street.seed,
        today=street.today,
        lease_ends=LEASE_ENDS,
    )
    files = build_files(seed=street.seed)
    return f"a street of {street.units} units with {files} tenant files"
