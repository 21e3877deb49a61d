"""The cases' part of the demo street: the departments and categories, and three dozen
cases over the last weeks in every state, logged by the desk, worked by 工程部's user and
the other departments, called back by the desk and closed by the manager, all through the
services and on the demo's clock (config.demo.DemoClock)."""

import random
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from archives.models import Occupancy
from complaints.enums import CaseStatus
from complaints.models import Case, Category, Department
from complaints.services.callbacks import callback_record
from complaints.services.cases import (
    case_assign,
    case_close,
    case_receive,
    case_resolve,
    case_resume,
    case_start,
    case_update,
    case_wait,
)
from config.demo import DemoClock, DemoStreet, acting, make_mobile
from config.roles import Role

DEPARTMENTS = [
    ("engineering", "工程部"),
    ("security", "保安部"),
    ("cleaning", "保洁部"),
    ("marketing", "招商部"),
]
CATEGORIES = {
    "设施设备": ["漏水", "电路故障", "空调", "卷帘门"],
    "环境卫生": ["垃圾清运", "异味", "虫害"],
    "秩序安全": ["噪音", "占道经营", "停车"],
    "经营服务": ["租赁咨询", "活动建议", "收费疑问"],
}
# (kind, category, department, what was raised)
TOPICS = [
    ("repair", "漏水", "engineering", "卫生间天花板漏水，滴到货架上"),
    ("repair", "电路故障", "engineering", "店内跳闸，部分插座无电"),
    ("repair", "卷帘门", "engineering", "卷帘门卡住，无法完全拉下"),
    ("complaint", "噪音", "security", "隔壁商铺音响声音过大，影响经营"),
    ("complaint", "占道经营", "security", "对面摊位货物堆到通道上"),
    ("complaint", "垃圾清运", "cleaning", "后巷垃圾两天未清运，有异味"),
    ("complaint", "虫害", "cleaning", "餐饮区附近发现老鼠"),
    ("enquiry", "租赁咨询", "marketing", "询问二楼空铺的租金和面积"),
    ("suggestion", "活动建议", "marketing", "建议周末增加亲子活动吸引客流"),
    ("enquiry", "收费疑问", "marketing", "询问本月物业费的计算方式"),
    ("repair", "空调", "engineering", "中央空调出风口不制冷"),
    ("complaint", "停车", "security", "顾客车辆被乱停车辆堵住"),
]
ENDS = [
    CaseStatus.CLOSED,
    CaseStatus.CLOSED,
    CaseStatus.RESOLVED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.WAITING,
    CaseStatus.ASSIGNED,
    CaseStatus.REOPENED,
    CaseStatus.NEW,
    CaseStatus.CLOSED,
]
# A few hundred cases over three months (DESIGN.md, demo data), every state among them.
COUNT = 288


def has_data() -> bool:
    return Case.objects.exists()


def _setup(users) -> tuple[dict, dict]:
    departments = {}
    for code, name in DEPARTMENTS:
        departments[code], _created = Department.objects.get_or_create(
            code=code, defaults={"name": name}
        )
    departments["engineering"].members.add(users["engineering"])
    categories = {}
    for parent_name, names in CATEGORIES.items():
        parent, _created = Category.objects.get_or_create(parent=None, name=parent_name)
        for name in names:
            categories[name], _created = Category.objects.get_or_create(parent=parent, name=name)
    return departments, categories


def _worker(department: Department, username: str):
    """The department's member: 工程部's demo user, else one made for it."""
    member = department.members.first()
    if member is None:
        User = get_user_model()
        member, _created = User.objects.get_or_create(
            username=username, defaults={"first_name": f"{department.name} 值班"}
        )
        member.groups.add(*Group.objects.filter(name=Role.DEPARTMENT))
        department.members.add(member)
    return member


def _story(n, rng, users, departments, categories, occupancies) -> Iterator[tuple[int, int]]:
    kind, category, code, text = TOPICS[n % len(TOPICS)]
    end = ENDS[n % len(ENDS)]
    department = departments[code]
    member = _worker(department, f"{code}-duty")
    desk = rng.choice([users["assistant"], users["assistant2"]])
    manager = users["manager"]
    days = 2 + (COUNT - n) * 88 // COUNT if end not in {CaseStatus.NEW, CaseStatus.ASSIGNED} else 1
    yield days, 9 + n % 7
    if n % 4 == 3:
        raised = {"visitor_name": "张王李赵陈"[n % 5] + "先生", "visitor_phone": make_mobile(rng)}
    else:
        raised = {"unit": occupancies[n % len(occupancies)].unit}
    with acting(desk):
        case = case_receive(
            by=desk,
            kind=kind,
            channel=["walk_in", "phone", "wechat", "letter"][n % 4],
            description=text,
            priority=["normal", "high", "urgent", "low", "normal"][n % 5],
            category=categories[category],
            **raised,
        )
    if end == CaseStatus.NEW:
        return
    with acting(desk):
        case = case_assign(by=desk, case=case, department=department)
    if end == CaseStatus.ASSIGNED:
        return
    yield days, 15
    with acting(member):
        case = case_start(by=member, case=case, note="已安排人员")
        case = case_update(by=member, case=case, note="已到现场查看")
    if end == CaseStatus.IN_PROGRESS:
        return
    with acting(member):
        case = case_wait(by=member, case=case, note="等待租户确认时间")
    if end == CaseStatus.WAITING:
        return
    yield days - 1, 10
    with acting(member):
        case = case_resume(by=member, case=case, note="租户已确认")
        case = case_resolve(by=member, case=case, resolution="已处理完毕，租户现场确认")
    if end == CaseStatus.RESOLVED:
        return
    yield days - 1, 16
    unhappy = end == CaseStatus.REOPENED
    with acting(desk):
        callback_record(
            by=desk,
            case=case,
            called_on=timezone.localdate(Case.objects.get(pk=case.pk).resolved_at),
            method="phone",
            satisfaction=2 if unhappy else 4 + n % 2,
            comment="问题仍未解决" if unhappy else "满意",
        )
    if unhappy:
        return
    with acting(manager):
        case_close(by=manager, case=case)


def build_cases(*, clock: DemoClock, seed: int = 2026) -> int:
    rng = random.Random(seed)
    user = get_user_model().objects.get_by_natural_key
    users = {name: user(name) for name in ("assistant", "assistant2", "manager", "engineering")}
    departments, categories = _setup(users)
    occupancies = list(
        Occupancy.objects.filter(handed_over_on__isnull=True)
        .select_related("unit")
        .order_by("unit__code")[:30]
    )
    clock.run([_story(n, rng, users, departments, categories, occupancies) for n in range(COUNT)])
    return COUNT


def build(street: DemoStreet) -> str:
    made = build_cases(clock=DemoClock(today=street.today), seed=street.seed)
    return f"{made} cases with their departments, actions and callbacks"
