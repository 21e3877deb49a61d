"""The daily report to the manager (每日情况汇报), composed for any date from every app's own
selectors: the takings and the close, deposits, cases, loans, verification, attendance
exceptions, tasks, the diary and the handover notes. A fixed number of queries whatever the
data: each part is one count or one bounded list."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from archives.selectors import overdue_loans, tenants_due_for_verification
from attendance.enums import Presence
from attendance.models import AttendanceRecord, ShiftHandover, Task, TaskStatus, WorkDiary
from complaints.selectors.cases import CasesOfDay, cases_of_day, overdue_cases
from config.dates import day_bounds
from config.people import holders_of
from deposits.selectors.deposits import DepositsOfDay, deposits_of_day
from fees.enums import DayState, PaymentMethod
from fees.selectors.days import day_get, day_takings, expected_figures_visible

# Who is expected to write a diary: whoever may write one and was at work that day.
DIARY_WRITERS = "attendance.add_workdiary"
# The lines a list of the report shows at most (its count is the whole).
LISTED = 30


@dataclass(frozen=True)
class Takings:
    """The day's takings by payment method, or None where the reader is kept blind."""

    by_method: list[tuple[PaymentMethod, Decimal]] | None
    total: Decimal | None
    receipts: int | None
    close_state: DayState


@dataclass(frozen=True)
class DailyReport:
    day: date
    takings: Takings
    deposits: DepositsOfDay
    cases: CasesOfDay
    overdue_cases: int
    overdue_loans: int
    verification_due: int
    exceptions: list[AttendanceRecord]
    tasks_done: list[Task]
    tasks_overdue: int
    diaries: list[WorkDiary]
    handovers: list[ShiftHandover]
    no_diary: list[str]


def _takings(user, day: date) -> Takings:
    close = day_get(day)
    state = DayState(close.state)
    if not expected_figures_visible(user, close):
        return Takings(None, None, None, state)
    takings = day_takings(day)
    by_method = [(PaymentMethod(m), amount) for m, amount in takings.by_method.items()]
    return Takings(by_method, takings.total, takings.receipt_count, state)


def attendance_exceptions(day: date) -> list[AttendanceRecord]:
    """The day's records that are not a plain day's work: late, left early, absent, leave."""
    return list(
        AttendanceRecord.objects.filter(day=day)
        .filter(
            Q(late_minutes__gt=0)
            | Q(early_minutes__gt=0)
            | Q(presence__in=[Presence.ABSENT, Presence.LEAVE])
        )
        .select_related("staff")
        .order_by("staff__name", "pk")[:LISTED]
    )


def missing_diaries(day: date) -> list[str]:
    """Those at work on ``day`` who may write a diary and wrote none (names)."""
    written = WorkDiary.objects.filter(staff=OuterRef("staff"), date=day)
    writers = holders_of(DIARY_WRITERS).values("pk")
    rows = (
        AttendanceRecord.objects.filter(day=day, presence=Presence.PRESENT)
        .filter(staff__user__in=writers)
        .exclude(Exists(written))
        .order_by("staff__name")
        .values_list("staff__name", flat=True)
    )
    return list(rows[:LISTED])


def daily_report(user, day: date, today: date) -> DailyReport:
    """The report of ``day`` as ``user`` may read it (a counting user stays blind to the
    takings of a day not yet counted); "overdue" figures are as of now."""
    start, end = day_bounds(day)
    tasks = Task.objects.select_related("assigned_to")
    return DailyReport(
        day=day,
        takings=_takings(user, day),
        deposits=deposits_of_day(day),
        cases=cases_of_day(day),
        overdue_cases=overdue_cases().count(),
        overdue_loans=overdue_loans(today).count(),
        verification_due=tenants_due_for_verification(today).count(),
        exceptions=attendance_exceptions(day),
        tasks_done=list(
            tasks.filter(status=TaskStatus.DONE, done_at__gte=start, done_at__lt=end).order_by(
                "done_at", "pk"
            )[:LISTED]
        ),
        tasks_overdue=tasks.filter(status=TaskStatus.OPEN, due_on__lt=today).count(),
        diaries=list(
            WorkDiary.objects.filter(date=day)
            .select_related("staff", "shift")
            .order_by("shift__starts_at", "staff__name")[:LISTED]
        ),
        handovers=list(
            ShiftHandover.objects.filter(date=day)
            .exclude(notes="")
            .select_related("outgoing", "incoming", "shift")
            .order_by("shift__starts_at", "pk")[:LISTED]
        ),
        no_diary=missing_diaries(day),
    )
