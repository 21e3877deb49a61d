"""The register's part of the demo street: units, tenants, occupancies, contractors.

Used by the `demo_data` command through build() (a small street) and by the benchmark
(a very large one). Every identifier it makes passes the same checks as one typed at the desk.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from faker import Faker
from simple_history.utils import bulk_create_with_history

from archives.models import (
    Contractor,
    IdDocType,
    Occupancy,
    OccupancyRole,
    RecordKind,
    Retention,
    Tenant,
    TenantKind,
    Unit,
    UnitStatus,
)
from archives.selectors.records import occupied_units, units_of_block
from archives.services.records import (
    delivery_sign,
    notice_send,
    record_register,
    volume_close,
    volume_open,
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
    records = build_records(today=street.today, seed=street.seed)
    return (
        f"a street of {street.units} units with {files} tenant files and {records} records "
        "of the centre"
    )


# The centre's own records (archives.models.records): days before today, kind, title,
# from / to, pages, and the volume they are filed into (None: not filed yet).
RECORDS = [
    (400, RecordKind.LETTER_IN, "关于步行街消防安全检查的通知", "区消防救援大队", 2, "letters"),
    (380, RecordKind.LETTER_OUT, "关于春节期间营业时间安排的报告", "街道办事处", 3, "letters"),
    (370, RecordKind.REPORT, "年度客户服务工作总结", "公司总经理室", 6, "reports"),
    (60, RecordKind.LETTER_IN, "关于开展食品安全专项检查的函", "区市场监督管理局", 2, "letters"),
    (45, RecordKind.LETTER_OUT, "关于外摆区域整治的复函", "区城市管理局", 1, "letters"),
    (30, RecordKind.REPORT, "季度投诉处理情况报告", "公司总经理室", 4, "reports"),
    (20, RecordKind.NOTICE, "关于夜间停水检修的通知", "全体租户", 1, "notices"),
    (5, RecordKind.NOTICE, "关于清理消防通道的通知", "A区租户", 1, "notices"),
    (2, RecordKind.LETTER_IN, "关于节日期间加强安保工作的通知", "辖区派出所", 1, None),
]
VOLUMES = {
    "letters": ("{year}年 收发文", Retention.YEARS_30, "档案柜1"),
    "reports": ("{year}年 工作报告", Retention.PERMANENT, "档案柜2"),
    "notices": ("{year}年 致租户通知", Retention.YEARS_10, "档案柜1"),
}


def build_records(*, today: date, seed: int) -> int:
    """A few volumes, letters in and out, reports and two notices, some units not yet
    signed for them; made through the services by the demo's desk. Volumes of past years
    are closed. Returns how many records were registered."""
    users = get_user_model().objects
    desk = users.filter(username="assistant").first()
    manager = users.filter(username="manager").first()
    if desk is None or manager is None:
        return 0
    rng = random.Random(seed)
    volumes = {}
    notices = []
    for days, kind, title, correspondent, pages, key in RECORDS:
        day = today - timedelta(days=days)
        volume = None
        if key is not None:
            if (day.year, key) not in volumes:
                name, retention, cabinet = VOLUMES[key]
                volumes[day.year, key] = volume_open(
                    by=manager,
                    year=day.year,
                    title=name.format(year=day.year),
                    retention=retention,
                    cabinet=cabinet,
                    box=f"{day.year}-{len(volumes) + 1:02d}",
                )
            volume = volumes[day.year, key]
        record = record_register(
            by=desk,
            kind=kind,
            date=day,
            title=title,
            correspondent=correspondent,
            pages=pages,
            handled_by="李晓敏",
            volume=volume,
        )
        if kind == RecordKind.NOTICE:
            notices.append(record)
    for (year, _key), volume in volumes.items():
        if year < today.year:
            volume_close(volume=volume, by=manager, on=date(year, 12, 31))
    # The first notice went to every occupied unit, all but three signed; the second to
    # block A, two signed so far.
    for notice, units, unsigned in (
        (notices[0], occupied_units(), 3),
        (notices[1], units_of_block("A"), None),
    ):
        sent = notice_send(notice=notice, units=units, by=desk)
        signing = sent[:-unsigned] if unsigned else sent[:2]
        for delivery in signing:
            tenant = delivery.tenant
            delivery_sign(
                delivery=delivery,
                by=desk,
                signed_by=tenant.contact_name if tenant else "店员",
                signed_on=min(today, notice.date + timedelta(days=rng.randint(0, 2))),
            )
    return len(RECORDS)
