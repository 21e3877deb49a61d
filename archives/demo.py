"""The register's part of the demo street: units, tenants, occupancies, contractors.

Used by the `demo_data` command through build() (a small street) and by the benchmark
(a very large one). Every identifier it makes passes the same checks as one typed at the desk.
"""

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
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
from config.demo import (
    DemoClock,
    DemoStreet,
    acting,
    make_credit_code,
    make_mobile,
    make_resident_id,
)

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
# Complete files whose business licence and ID copy carry a scan.
DEMO_SCANS = 3


def scan_image(title: str, seed: int) -> SimpleUploadedFile:
    """A small page-like PNG standing for a scanned document (lines of "text" on white),
    which passes the upload checks as a photographed page does."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    page = Image.new("RGB", (420, 594), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((30, 30, 390, 70), outline="black", width=2)
    for line in range(18):
        top = 100 + line * 26
        draw.line((40, top, 40 + rng.randrange(180, 340), top), fill=(60, 60, 60), width=3)
    draw.ellipse((300, 470, 380, 550), outline=(200, 30, 30), width=4)  # the seal
    out = io.BytesIO()
    page.save(out, format="PNG")
    return SimpleUploadedFile(f"{title}.png", out.getvalue(), content_type="image/png")


def build_files(
    *, count: int = DEMO_FILES, gaps: int = DEMO_FILES_WITH_GAPS, scans: int = 0, seed: int = 2026
) -> int:
    """Tenant files for the first current occupancies, through the desk's services: most
    complete, ``gaps`` of them lacking one to three required documents; the business
    licence and ID copy of the first ``scans`` complete files with a scan."""
    from archives.models import REQUIRED_FLAG, DocumentType, FileKind
    from archives.services import document_add, file_open
    from config.demo import build_staff

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
            scanned = gaps <= index < gaps + scans
            for doc_type in required:
                upload = None
                if scanned and doc_type.code in ("business_licence", "id_copy"):
                    upload = scan_image(doc_type.code, seed + index)
                document_add(
                    upload=upload,
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
    files = build_files(scans=DEMO_SCANS, seed=street.seed)
    records = build_records(today=street.today, seed=street.seed)
    old = build_old_files(today=street.today, seed=street.seed)
    life = build_file_life(clock=DemoClock(today=street.today), old_files=old)
    return (
        f"a street of {street.units} units with {files + len(old)} tenant files "
        f"({len(old)} closed long ago), {records} records of the centre, {life}"
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


# Tenants of long ago (the register's past tenants, who occupy nothing now) whose shops were
# handed back more than thirty years before the demo's year: their files are closed and
# their documents past their retention period (the destruction list's lines).
OLD_FILES = 2
OLD_FILE_YEARS = 32


def build_old_files(*, today: date, seed: int) -> list:
    """Files of past tenants, opened, filled and closed at their shop handover through the
    desk's services; their occupancies are written as the paper register had them."""
    from archives.models import DocumentType, FileKind
    from archives.services import document_add, file_mark_moved_out, file_open

    users = get_user_model().objects
    desk = users.filter(username="assistant").first()
    if desk is None:
        return []
    rng = random.Random(seed)
    past = list(Tenant.objects.filter(occupancies__isnull=True).order_by("pk")[:OLD_FILES])
    units = list(Unit.objects.order_by("code")[: len(past)])
    moved_out = [t for t in DocumentType.objects.filter(active=True) if t.for_moved_out]
    made = []
    with acting(desk):
        for index, (tenant, unit) in enumerate(zip(past, units, strict=True)):
            year = today.year - OLD_FILE_YEARS - index
            moved_in, handed_over = date(year - 4, 3, 1 + index), date(year, 6, 30)
            occupancy = Occupancy.objects.create(
                unit=unit,
                tenant=tenant,
                role=OccupancyRole.LESSEE,
                moved_in_on=moved_in,
                lease_ends_on=handed_over,
                handed_over_on=handed_over,
                keys_returned=2,
                condition="完好",
                deposits_settled=True,
                handed_over_to=desk,
            )
            tenant_file = file_open(
                by=desk,
                unit=unit,
                tenant=tenant,
                kind=FileKind.IN_BUSINESS,
                opened_on=moved_in,
                cabinet="旧档柜",
                box=f"{year}-{index + 1}号盒",
            )
            for doc_type in moved_out:
                document_add(
                    by=desk,
                    tenant_file=tenant_file,
                    doc_type=doc_type,
                    title=doc_type.name_zh,
                    # What the handover made is dated then; the rest, at the move-in.
                    dated_on=moved_in if doc_type.for_in_business else handed_over,
                    pages=rng.randint(1, 8),
                    paper="copy" if doc_type.code == "id_copy" else "original",
                )
            made.append(file_mark_moved_out(by=desk, occupancy=occupancy))
    return made


def _lendable(files, code: str):
    from archives.models import Document

    return list(
        Document.objects.filter(file__in=files, type__code=code, destroyed_on__isnull=True)
        .select_related("file", "type")
        .order_by("file__number", "pk")
    )


def build_file_life(*, clock: DemoClock, old_files: list) -> str:
    """What the centre did with its files over the last weeks, on the demo's clock through
    the services: the engineering department's requests to read a file (one approved, its
    reads logged; one waiting), loans (two overdue, one running, one returned damaged), last
    month's inventory check (completed, one box damaged), a hold on a document of a file
    closed long ago, and a destruction list of what is past its period, awaiting approval."""
    from archives.models import AccessRequest, FileKind, HoldReason, InventoryItem, TenantFile
    from archives.services import (
        access_request_approve,
        access_request_file,
        file_read_record,
        loan_lend,
        loan_return,
    )
    from archives.services.inventory import (
        inventory_complete,
        inventory_mark,
        inventory_mark_present,
        inventory_start,
    )
    from archives.services.retention import destruction_draw, hold_place

    logins = ("assistant", "manager", "engineering", "assistant2")
    users = get_user_model().objects.in_bulk(logins, field_name="username")
    if len(users) < len(logins):
        return "no work on the files (the demo staff are missing)"
    desk, manager, engineering = users["assistant"], users["manager"], users["engineering"]
    current = list(
        TenantFile.objects.filter(closed_on__isnull=True).select_related("unit", "tenant")
    )
    decorating = [f for f in current if f.kind == FileKind.DECORATING] or current
    today = clock.today
    last_month_end = today.replace(day=1) - timedelta(days=1)
    done = {}
    asked = {}

    def access():
        yield 3, 10
        approved = access_request_file(
            by=engineering,
            tenant_file=decorating[0],
            purpose="核对装修图纸与现场管线走向",
            days=7,
            today=clock.date,
        )
        asked[approved.pk] = timezone.now()
        yield 2, 9
        access_request_approve(
            by=manager, access_request=approved, accompanied_by=desk, today=clock.date
        )
        yield 1, 11
        waiting = access_request_file(
            by=engineering,
            tenant_file=current[-1],
            purpose="核实租户紧急联系人以安排停电检修",
            days=3,
            today=clock.date,
        )
        asked[waiting.pk] = timezone.now()
        yield 0, 8
        # The reader opens the file under the permission (the log's line is written at the
        # real moment: the log takes no other).
        page = f"/archives/files/{decorating[0].pk}/"
        file_read_record(
            by=engineering, tenant_file=decorating[0], page=page, access_request=approved
        )

    def loan(days: int, length: int, item, borrower, back: int | None):
        """One loan, lent ``days`` ago for ``length`` days; returned ``back`` days ago."""
        yield days, 10
        lent = loan_lend(
            by=desk,
            item=item,
            borrower=borrower,
            due_on=clock.date + timedelta(days=length),
            purpose="核对资料",
            today=clock.date,
        )
        if back is not None:
            yield back, 16
            loan_return(
                by=desk, loan=lent, condition="damaged", note="第2页有水渍", today=clock.date
            )

    forms_ = _lendable(current, "move_in_form")
    registers = _lendable(current, "tenant_register")
    loans = [
        loan(40, 14, forms_[0], engineering, None),
        loan(20, 7, registers[1], manager, None),
        loan(5, 10, forms_[2], engineering, None),
        loan(30, 14, registers[3], users["assistant2"], 12),
    ]

    def inventory():
        yield (today - last_month_end).days, 9
        run = inventory_start(by=desk, year=last_month_end.year, month=last_month_end.month)
        yield (today - last_month_end).days, 16
        items = InventoryItem.objects.filter(run=run).order_by("pk")
        inventory_mark(by=desk, item=items.last(), mark="damaged", note="档案盒受潮，已更换新盒")
        inventory_mark_present(by=desk, run=run, item_ids=list(items.values_list("pk", flat=True)))
        inventory_complete(by=desk, run=run)
        done["inventory"] = run

    def retention():
        yield 10, 15
        if not old_files:
            return
        held = old_files[0].documents.order_by("pk").first()
        hold_place(
            by=manager,
            reason=HoldReason.DISPUTE,
            note="原租户就押金退还提起诉讼，案件未结",
            document=held,
        )
        yield 1, 16
        done["list"] = destruction_draw(by=desk, review_due=clock.date + timedelta(days=14))

    clock.run([access(), *loans, inventory(), retention()])
    # A request's moment is its field's default (the real clock): set it to the story's.
    for pk, moment in asked.items():
        AccessRequest.objects.filter(pk=pk).update(requested_at=moment)
    listed = done["list"].items.count() if "list" in done else 0
    return (
        "2 requests to read a file, 4 loans (2 overdue), last month's inventory check, "
        f"a hold and a destruction list of {listed} lines awaiting approval"
    )
