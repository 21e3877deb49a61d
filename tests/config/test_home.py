"""The home page of every role takes the same queries whatever the number of rows its
panels list (config.home)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from archives.models import RecordKind
from archives.services import access_request_file, loan_lend
from attendance.models import Task
from complaints.models import Case
from config.roles import Role
from deposits.enums import RefundStatus
from fees.enums import DayState, ReceiptStatus
from tests.factories.archives import (
    CentreRecordFactory,
    OccupancyFactory,
    TenantFactory,
    UnitFactory,
    tenant_file,
)
from tests.factories.attendance_diary import handover_of, member, task_for
from tests.factories.complaints import DepartmentFactory, case_in
from tests.factories.deposits import DecorationApplicationFactory, RefundFactory, accepted_deposit
from tests.factories.fees import (
    ChargeFactory,
    DailyCloseFactory,
    DiscrepancyFactory,
    ExportJobFactory,
    MonthLockFactory,
    PermitFactory,
    ReceiptBookFactory,
    ReceiptFactory,
)
from tests.factories.people import UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class Street:
    """Rows for the home panels, each call on days and months of its own: past days from
    a week back, so that discrepancies (yesterday and before, tests.factories.fees) and
    month locks (two months back and before) never meet."""

    def __init__(self, user):
        self.user = user
        self.today = timezone.localdate()
        self.calls = 0

    def next_call(self) -> int:
        self.calls += 1
        return self.calls

    def past_day(self, n: int, kind: int):
        return self.today - timedelta(days=7 + 3 * n + kind)

    def overdue_charge(self):
        ChargeFactory(billed_on=self.today - timedelta(days=60), amount=Decimal("80.00"))

    def late_case(self, status="new", department=None):
        """A case past its due time (on the desk's and the manager's overdue panels)."""
        case = case_in(status, department=department)
        Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - timedelta(hours=1))

    def overdue_loan(self):
        """A report lent a week ago and due yesterday (the overdue loans panel)."""
        loan_lend(
            by=staff(Role.ASSISTANT),
            item=CentreRecordFactory(kind=RecordKind.REPORT),
            borrower=self.user,
            due_on=self.today - timedelta(days=1),
            today=self.today - timedelta(days=7),
        )

    def access_request(self, by=None):
        """A department's request to read a tenant file, awaiting the manager."""
        access_request_file(
            by=by or staff(Role.DEPARTMENT), tenant_file=tenant_file(), purpose="核对图纸", days=2
        )

    def own_task(self):
        """A task the manager gave the user, due today (their tasks panel)."""
        task_for(self.user, title=f"任务{self.calls}")

    def overdue_task(self):
        """Somebody's task past its due date (the manager's overdue tasks panel)."""
        worker = UserFactory(username=f"worker-late-{self.calls}")
        task = task_for(worker, title=f"逾期任务{self.calls}")
        Task.objects.filter(pk=task.pk).update(due_on=self.today - timedelta(days=2))

    def handover_to_user(self):
        """A shift handover a colleague submitted to the user (the desk's panel)."""
        colleague = UserFactory(username=f"colleague-{self.calls}", roles=[Role.ASSISTANT])
        member(colleague, f"同事{self.calls}")
        handover_of(colleague, member(self.user, "本人"), submit=True)

    def register_rows(self):
        TenantFactory(last_verified_on=None)  # due for verification
        OccupancyFactory(lease_ends_on=self.today + timedelta(days=10))
        # Past its end and not handed over: still on the lease-end reminder.
        OccupancyFactory(lease_ends_on=self.today - timedelta(days=5))

    def assistant(self):
        """A forgotten past day, a day the manager returned, an expiring permit, an overdue
        charge, a tenant to verify, a lease ending and one past its end, a receipt book, a
        deposit whose refund gate opened, a refund the manager returned, a late case not yet
        assigned (twice), an overdue loan, a task of the user's, a handover to acknowledge:
        15 listed rows."""
        n = self.next_call()
        forgotten = self.past_day(n, 0)
        DailyCloseFactory(business_date=forgotten)
        ReceiptFactory(business_date=forgotten)
        DailyCloseFactory(business_date=self.past_day(n, 1), return_comment="现金少十元")
        PermitFactory(valid_to=self.today)
        self.overdue_charge()
        self.register_rows()
        ReceiptBookFactory(issued_to=self.user)
        accepted_deposit()
        RefundFactory(status=RefundStatus.RETURNED)
        self.late_case()  # unassigned and overdue: 2 rows
        self.overdue_loan()
        self.own_task()
        self.handover_to_user()

    def manager(self):
        """A void request, a submitted day, a discrepancy, an overdue charge, a tenant to
        verify, a lease ending and one past its end, a refund and a decoration to approve, an
        overdue case, an overdue loan, a request to read a file, a task of the user's and
        somebody's overdue task: 14 listed rows (and a receipt in this month's chart)."""
        n = self.next_call()
        ReceiptFactory(status=ReceiptStatus.VOID_REQUESTED)
        DailyCloseFactory(business_date=self.past_day(n, 0), state=DayState.SUBMITTED)
        DiscrepancyFactory()
        self.overdue_charge()
        self.register_rows()
        RefundFactory()
        DecorationApplicationFactory()
        self.late_case("assigned")
        self.overdue_loan()
        self.access_request()
        self.own_task()
        self.overdue_task()

    def finance(self):
        """An approved day, a discrepancy, an overdue charge, a refund to pay, a task of the
        user's: 5 listed rows."""
        n = self.next_call()
        DailyCloseFactory(business_date=self.past_day(n, 0), state=DayState.APPROVED)
        DiscrepancyFactory()
        self.overdue_charge()
        RefundFactory(status=RefundStatus.APPROVED)
        self.own_task()

    def auditor(self):
        """A signed-off discrepancy, an audit pack, a month lock, a task of the user's: 3
        listed rows (the months panel lists six months, locked or not)."""
        n = self.next_call()
        DiscrepancyFactory(explanation="点错一张")
        ExportJobFactory(requested_by=self.user)
        month = self.today.replace(day=1) - timedelta(days=1)
        for _ in range(n):  # the month n+1 months back
            month = month.replace(day=1) - timedelta(days=1)
        MonthLockFactory(year=month.year, month=month.month)
        self.own_task()

    def department(self):
        """A case assigned to the user's department, a request of its own to read a file, a
        task of the user's: 3 listed rows."""
        engineering = DepartmentFactory(code="engineering", name="工程部")
        engineering.members.add(self.user)
        case_in("assigned", department=engineering)
        self.access_request(by=self.user)
        self.own_task()

    def administrator(self):
        """A user without a role, a task of the user's: 2 listed rows."""
        UserFactory()
        UnitFactory()
        self.own_task()


def listed(response) -> int:
    return sum(
        len(panel.items) for _label, panels in response.context["sections"] for panel in panels
    )


@pytest.mark.parametrize(
    "role, queries, rows_each",
    [
        # attendance.panels: the desk's register of today counts who is not yet recorded
        # (one query); the manager's months to sign count the records per month and read
        # the signatures (two); every role's own tasks, the desk's handovers to acknowledge
        # and the manager's overdue tasks take two each (a count and the rows listed). The
        # month's chart and the months' takings read the stored totals of the submitted days
        # and the receipts of the others (fees.selectors.totals): two and one more.
        (Role.ASSISTANT, 45, 15),
        (Role.MANAGER, 40, 14),
        (Role.FINANCE, 15, 5),
        (Role.AUDITOR, 17, 3),
        (Role.DEPARTMENT, 12, 3),
        (Role.ADMINISTRATOR, 9, 2),
    ],
)
def test_home_queries_do_not_grow_with_rows(make_user, flat_queries, role, queries, rows_each):
    user = make_user("someone", role, is_superuser=role == Role.ADMINISTRATOR)
    street = Street(user)
    one, three = flat_queries(reverse("home"), getattr(street, role), queries=queries, user=user)
    assert listed(three) - listed(one) == 2 * rows_each
