"""The monthly statistics of cases: every figure of a small November 2026 checked against
values worked out by hand, the clocks the services keep on each case, the page (its
readers, its month picker, a flat number of queries) and the Excel and PDF files.

November 2026 has no public holiday; the centre opens 09:00–18:00 (9 business hours a
working day). The month's cases, built through the services at fixed times:

  1  complaint, phone,   A-1-01, 漏水, normal (24 h): Mon 2 Nov 10:00, started 12:00 (2 h),
     resolved Tue 3 Nov 11:00 (8 + 2 = 10 h; due Wed 4 Nov 16:00: within), called back
     satisfied (5), closed.
  2  complaint, walk-in, A-1-01, 漏水, urgent (4 h): Tue 10 Nov 16:00, started 17:00 (1 h),
     waits Wed 11 Nov 09:30 → Thu 12 Nov 09:00 (8.5 h), resolved Thu 10:00, called back
     unsatisfied (2) at 14:00: reopened, due anew Thu 18:00; resolved again Fri 13 Nov
     10:00 (2 + 9 + 9 + 1 − 8.5 = 12.5 h: late), called back (4). A repeat of case 1
     (same unit and category, 8 days later).
  3  repair,    WeChat,  B-2-02, 漏水, high (8 h): Wed 18 Nov 09:00, resolved at once by the
     department Thu 19 Nov 12:00 (response and resolution 9 + 3 = 12 h; due 17:00 the
     day before: late), not called back.
  4  enquiry,   phone,   a visitor, 垃圾, normal: Sat 21 Nov 10:00, started Mon 23 Nov
     11:00 (2 h: the weekend does not count), in progress.
  5  complaint, letter,  B-2-02, 漏水, normal: Wed 25 Nov 10:00, not assigned. Not a repeat:
     the earlier case of B-2-02 in 漏水 is a repair.
Before the month, case 0: a complaint of A-1-01 in 漏水 on Fri 2 Oct 10:00, 31 days before
case 1 (so case 1 is no repeat), and not counted in November.
"""

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from complaints.enums import CaseKind, CaseStatus, Channel, Priority
from complaints.exporters.statistics import StatisticsReport
from complaints.models import Case
from complaints.selectors.statistics import month_bounds, month_statistics
from complaints.services import callbacks as callback_service
from complaints.services import cases as svc
from config.roles import Role
from tests.complaints.conftest import SHANGHAI
from tests.factories.archives import UnitFactory
from tests.factories.complaints import CategoryFactory, DepartmentFactory, case_in, worker
from tests.factories.people import staff

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


class Month:
    """The cases of the module's docstring, by number."""

    def __init__(self, clock):
        self.clock = clock
        self.desk, self.manager = staff(Role.ASSISTANT), staff(Role.MANAGER)
        self.engineering = DepartmentFactory(code="engineering", name="工程部")
        self.security = DepartmentFactory(code="security", name="保安部")
        self.fixer, self.guard = worker(self.engineering), worker(self.security)
        facilities = CategoryFactory(name="设施设备")
        self.leak = CategoryFactory(name="漏水", parent=facilities)
        CategoryFactory(name="停电", parent=facilities)  # no case: not listed
        self.rubbish = CategoryFactory(name="垃圾", parent=CategoryFactory(name="环境卫生"))
        self.a101, self.b202 = UnitFactory(code="A-1-01"), UnitFactory(code="B-2-02")
        self.cases = {}

    def receive(self, number, when, **fields):
        self.clock.set(*when)
        fields.setdefault("kind", CaseKind.COMPLAINT)
        fields.setdefault("priority", Priority.NORMAL)
        fields.setdefault("description", "情况说明")
        self.cases[number] = svc.case_receive(by=self.desk, **fields)
        return self.cases[number]

    def step(self, number, when, service, by, **fields):
        self.clock.set(*when)
        self.cases[number] = service(by=by, case=self.case(number), **fields)
        return self.cases[number]

    def callback(self, number, when, satisfaction, comment=""):
        self.clock.set(*when)
        callback_service.callback_record(
            by=self.desk,
            case=self.case(number),
            called_on=self.clock.now.date(),
            method="phone",
            satisfaction=satisfaction,
            comment=comment,
        )

    def case(self, number) -> Case:
        return Case.objects.get(pk=self.cases[number].pk)

    def build(self):
        self.receive(
            0, (2026, 10, 2, 10), channel=Channel.PHONE, unit=self.a101, category=self.leak
        )
        eng, sec = self.engineering, self.security
        self.receive(
            1,
            (2026, 11, 2, 10),
            channel=Channel.PHONE,
            unit=self.a101,
            category=self.leak,
            department=eng,
        )
        self.step(1, (2026, 11, 2, 12), svc.case_start, self.fixer)
        self.step(1, (2026, 11, 3, 11), svc.case_resolve, self.fixer, resolution="已修好")
        self.callback(1, (2026, 11, 4, 10), 5)
        self.step(1, (2026, 11, 4, 11), svc.case_close, self.manager)

        self.receive(
            2,
            (2026, 11, 10, 16),
            channel=Channel.WALK_IN,
            unit=self.a101,
            category=self.leak,
            priority=Priority.URGENT,
            department=eng,
        )
        self.step(2, (2026, 11, 10, 17), svc.case_start, self.fixer)
        self.step(2, (2026, 11, 11, 9, 30), svc.case_wait, self.fixer, note="等租户开门")
        self.step(2, (2026, 11, 12, 9), svc.case_resume, self.fixer)
        self.step(2, (2026, 11, 12, 10), svc.case_resolve, self.fixer, resolution="已修好")
        self.callback(2, (2026, 11, 12, 14), 2, comment="还在漏")
        self.step(2, (2026, 11, 13, 10), svc.case_resolve, self.fixer, resolution="换了水管")
        self.callback(2, (2026, 11, 13, 15), 4)

        self.receive(
            3,
            (2026, 11, 18, 9),
            kind=CaseKind.REPAIR,
            channel=Channel.WECHAT,
            unit=self.b202,
            category=self.leak,
            priority=Priority.HIGH,
            department=sec,
        )
        self.step(3, (2026, 11, 19, 12), svc.case_resolve, self.guard, resolution="已处理")

        self.receive(
            4,
            (2026, 11, 21, 10),
            kind=CaseKind.ENQUIRY,
            channel=Channel.PHONE,
            visitor_name="李女士",
            visitor_phone="13912345678",
            category=self.rubbish,
            department=eng,
        )
        self.step(4, (2026, 11, 23, 11), svc.case_start, self.fixer)

        self.receive(
            5, (2026, 11, 25, 10), channel=Channel.LETTER, unit=self.b202, category=self.leak
        )
        self.clock.set(2026, 12, 1, 10)
        return self


@pytest.fixture
def november(clock):
    return Month(clock).build()


def tallies(rows):
    return [(row.label, row.count, row.share) for row in rows]


D = Decimal


# --- the clocks the services keep ------------------------------------------------------


def test_each_case_keeps_its_business_hours(november):
    kept = {
        number: (case.response_hours, case.waited.total_seconds() / 3600, case.resolution_hours)
        for number, case in ((n, november.case(n)) for n in range(6))
    }
    assert kept == {
        0: (None, 0, None),
        1: (D("2.00"), 0, D("10.00")),
        2: (D("1.00"), 8.5, D("12.50")),
        3: (D("12.00"), 0, D("12.00")),
        4: (D("2.00"), 0, None),
        5: (None, 0, None),
    }


def test_a_reopened_case_has_no_resolution_time_until_resolved_again(clock, november):
    assert november.case(2).due_at == at(2026, 11, 12, 18)  # due anew from the reopening
    clock.set(2026, 11, 30, 10)
    reopened = case_in(CaseStatus.REOPENED)
    assert (reopened.response_hours, reopened.resolution_hours) == (D("0.00"), None)


def test_the_migration_fills_in_the_clocks_of_earlier_cases_from_their_timelines(november):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("complaints.migrations.0002_stats_statistics")
    kept = list(
        Case.objects.order_by("pk").values_list("response_hours", "waited", "resolution_hours")
    )
    Case.objects.update(response_hours=None, waited=timedelta(), resolution_hours=None)
    migration.fill_clocks(apps, None)
    assert (
        list(
            Case.objects.order_by("pk").values_list("response_hours", "waited", "resolution_hours")
        )
        == kept
    )


# --- the figures -----------------------------------------------------------------------


def test_the_month_holds_the_cases_received_in_it():
    start, end = month_bounds(2026, 12)
    assert (start, end) == (at(2026, 12, 1), at(2027, 1, 1))


def test_counts_by_kind_channel_department_and_category(november):
    stats = month_statistics(2026, 11)
    assert stats.total == 5
    assert tallies(stats.by_kind) == [
        ("Complaint", 3, D("60.0")),
        ("Enquiry", 1, D("20.0")),
        ("Repair", 1, D("20.0")),
        ("Suggestion", 0, D("0.0")),
    ]
    assert tallies(stats.by_channel) == [
        ("Walk-in", 1, D("20.0")),
        ("Phone", 2, D("40.0")),
        ("WeChat", 1, D("20.0")),
        ("Letter", 1, D("20.0")),
    ]
    assert tallies(stats.by_department) == [
        ("工程部", 3, D("60.0")),
        ("保安部", 1, D("20.0")),
        ("not assigned", 1, D("20.0")),
    ]
    assert [(r.top, r.sub, r.count, r.share) for r in stats.by_category] == [
        ("设施设备", "漏水", 4, D("80.0")),
        ("环境卫生", "垃圾", 1, D("20.0")),
    ]
    assert tallies(stats.by_top_category) == [
        ("设施设备", 4, D("80.0")),
        ("环境卫生", 1, D("20.0")),
    ]


def test_times_in_business_hours(november):
    stats = month_statistics(2026, 11)
    # Responses 2, 1, 12, 2: mean 17 / 4 = 4.25, median (2 + 2) / 2.
    assert (stats.response.cases, stats.response.average, stats.response.median) == (
        4,
        D("4.3"),
        D("2.0"),
    )
    # Resolutions 10, 12.5, 12: mean 34.5 / 3 = 11.5, median 12.
    assert (stats.resolution.cases, stats.resolution.average, stats.resolution.median) == (
        3,
        D("11.5"),
        D("12.0"),
    )


def test_service_level_callbacks_and_satisfaction(november):
    stats = month_statistics(2026, 11)
    assert (stats.resolved, stats.within_service_level, stats.service_level_share) == (
        3,
        1,
        D("33.3"),
    )
    # Cases 1 and 2 were called back after their (last) resolution, case 3 not.
    assert (stats.called_back, stats.callback_rate) == (2, D("66.7"))
    # Scores 5, 2 and 4: (5 + 2 + 4) / 3.
    assert (stats.callbacks, stats.average_satisfaction) == (3, D("3.67"))
    assert tallies(stats.satisfaction) == [
        ("5", 1, D("33.3")),
        ("4", 1, D("33.3")),
        ("3", 0, D("0.0")),
        ("2", 1, D("33.3")),
        ("1", 0, D("0.0")),
    ]


def test_repeats_and_hotspots(november):
    stats = month_statistics(2026, 11)
    assert [(r.case.pk, r.earlier_pk, r.earlier_at) for r in stats.repeats] == [
        (november.cases[2].pk, november.cases[1].pk, at(2026, 11, 2, 10))
    ]
    assert tallies(stats.hot_units) == [("A-1-01", 2, D("40.0")), ("B-2-02", 2, D("40.0"))]
    assert tallies(stats.hot_categories) == [
        ("设施设备 › 漏水", 4, D("80.0")),
        ("环境卫生 › 垃圾", 1, D("20.0")),
    ]


def test_the_month_before_counts_its_own_case_only(november):
    stats = month_statistics(2026, 10)
    assert (stats.total, stats.repeats, stats.resolved, stats.callback_rate) == (1, [], 0, None)
    assert tallies(stats.by_department) == [("not assigned", 1, D("100.0"))]


def test_an_empty_month(db):
    stats = month_statistics(2026, 11)
    assert stats.total == 0
    assert stats.response.average is None
    assert stats.service_level_share is None
    assert stats.average_satisfaction is None
    assert tallies(stats.by_kind)[0] == ("Complaint", 0, None)


# --- the page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager", 200),
        ("auditor", 200),
        ("assistant", 403),
        ("finance", 403),
        ("department", 403),
        ("administrator", 403),
    ],
)
def test_who_reads_the_statistics(login, role, status):
    assert login(role).get(reverse("complaints:statistics")).status_code == status


def test_the_page_shows_the_previous_month_by_default(november, client_as, manager):
    response = client_as(manager).get(reverse("complaints:statistics"))
    assert response.context["form"]["month"].value() == "2026-11"
    assert response.context["stats"].total == 5
    content = response.content.decode()
    assert 'id="stat-total">5<' in content
    assert 'id="stat-service-level">33.3%<' in content
    assert "style=" not in content
    assert "?month=2026-11" in content  # the files of the same month
    # The hotspots count cases: the satisfaction table's "callbacks" header stays its own.
    hotspots = content[content.index('id="hotspots-heading"') :]
    assert hotspots.count('<th scope="col" class="money">cases</th>') == 2


def test_a_month_in_the_future_is_refused_next_to_the_field(clock, client_as, manager):
    response = client_as(manager).get(reverse("complaints:statistics"), {"month": "2026-12"})
    assert response.status_code == 200
    assert response.context["stats"] is None
    assert response.context["form"].errors == {
        "month": ["2026-12 has not begun yet: choose 2026-11 or an earlier month."]
    }


def test_a_month_that_is_no_month_is_refused(clock, client_as, manager):
    response = client_as(manager).get(reverse("complaints:statistics"), {"month": "2026-13"})
    assert response.context["form"].errors == {
        "month": ["Enter a month as year-month, e.g. 2026-05."]
    }


def test_the_page_takes_as_many_queries_for_three_cases_as_for_one(clock, flat_queries, manager):
    unit, category = UnitFactory(code="A-1-01"), CategoryFactory(name="漏水")
    engineering = DepartmentFactory(code="engineering", name="工程部")

    made = []

    def closed_repeat():
        # Each a complaint of A-1-01 in 漏水: resolved, called back, closed, a repeat.
        made.append(clock.set(2026, 11, 30, 10, len(made)))
        case_in(CaseStatus.CLOSED, unit=unit, category=category, department=engineering)
        clock.set(2026, 11, 30, 10)  # read when logged in: the session is not touched

    one, three = flat_queries(
        reverse("complaints:statistics") + "?month=2026-11",
        closed_repeat,
        queries=17,
        user=manager,
    )
    assert (one.context["stats"].total, three.context["stats"].total) == (1, 3)
    assert len(three.context["stats"].repeats) == 2


def test_the_menu_links_the_statistics_for_its_readers(client_as, manager, assistant):
    link = reverse("complaints:statistics")
    assert link in client_as(manager).get(reverse("complaints:case_list")).content.decode()
    assert link not in client_as(assistant).get(reverse("complaints:case_list")).content.decode()


# --- the files ---------------------------------------------------------------------------


def export(client, name, month="2026-11"):
    return client.get(reverse("export", args=[name]), {"month": month})


def test_the_excel_holds_the_same_figures(november, client_as, manager):
    response = export(client_as(manager), "case_statistics_xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    summary = [[cell.value for cell in row] for row in book["Summary"].iter_rows(min_row=2)]
    assert summary == [
        ["Cases received", 5, None, None, None],
        ["Time to first response (business hours)", 4, 4.3, 2, None],
        ["Time to resolution (business hours)", 3, 11.5, 12, None],
        ["Cases resolved", 3, None, None, None],
        ["Resolved within the service level", 1, None, None, 0.333],
        ["Resolved cases called back", 2, None, None, 0.667],
        ["Callbacks (satisfaction 1–5)", 3, 3.67, None, None],
        ["Repeat complaints", 1, None, None, None],
    ]
    kinds = [[c.value for c in row] for row in book["By kind"].iter_rows(min_row=2)]
    assert kinds == [
        ["Complaint", 3, 0.6],
        ["Enquiry", 1, 0.2],
        ["Repair", 1, 0.2],
        ["Suggestion", 0, 0],
        ["Total", "=SUM(B2:B5)", None],
    ]
    categories = [[c.value for c in row] for row in book["By category"].iter_rows(min_row=2)]
    assert categories[:2] == [["设施设备", "漏水", 4, 0.8], ["环境卫生", "垃圾", 1, 0.2]]
    departments = [[c.value for c in r][:2] for r in book["By department"].iter_rows(min_row=2)]
    assert departments == [
        ["工程部", 3],
        ["保安部", 1],
        ["not assigned", 1],
        ["Total", "=SUM(B2:B4)"],
    ]
    repeats = [[c.value for c in row] for row in book["Repeat complaints"].iter_rows(min_row=2)]
    case, earlier = november.case(2), november.case(1)
    assert repeats == [
        [
            case.number,
            datetime(2026, 11, 10, 16),
            "A-1-01",
            "设施设备 › 漏水",
            earlier.number,
            datetime(2026, 11, 2, 10),
        ]
    ]
    units = [[c.value for c in row] for row in book["Hotspot units"].iter_rows(min_row=2)]
    assert units == [["A-1-01", 2, 0.4], ["B-2-02", 2, 0.4]]


def test_the_pdf_holds_the_same_figures(november):
    params = {"month": (2026, 11), "by": None}
    pdf = StatisticsReport("pdf").content(params)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for figure in ("33.3%", "66.7%", "3.67", "11.5", "A-1-01", "设施设备", "漏水", "工程部"):
        assert figure in text


def test_the_files_refuse_a_month_in_the_future(clock, client_as, manager):
    response = export(client_as(manager), "case_statistics_xlsx", month="2026-12")
    assert response.status_code == 200
    assert response.context["form"].errors["month"] == [
        "2026-12 has not begun yet: choose 2026-11 or an earlier month."
    ]


def test_the_files_refuse_who_may_not_read_them(client_as, assistant):
    assert export(client_as(assistant), "case_statistics_pdf").status_code == 403
