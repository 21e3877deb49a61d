"""The cases' pages: the list and the queue (flat queries, roles), logging a case (errors
next to the fields), the case page's buttons and actions, and the work order's PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from complaints.enums import CaseStatus
from complaints.models import Case
from tests.factories.archives import OccupancyFactory
from tests.factories.complaints import DepartmentFactory, case_in, worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineering():
    return DepartmentFactory(code="engineering", name="工程部")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("assistant", 200),
        ("manager", 200),
        ("auditor", 200),
        ("department", 200),
        ("finance", 403),
        ("administrator", 403),
    ],
)
def test_who_reads_the_case_list(login, role, status):
    assert login(role).get(reverse("complaints:case_list")).status_code == status


def test_the_case_list_takes_as_many_queries_for_three_rows_as_for_one(
    clock, flat_queries, manager
):
    flat_queries(
        reverse("complaints:case_list"),
        lambda: case_in(CaseStatus.ASSIGNED),
        queries=9,
        user=manager,
    )


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("", 3),
        ("?unassigned=yes", 1),
        ("?overdue=yes", 1),
        ("?status=in_progress", 1),
        ("?kind=repair", 1),
        ("?priority=urgent", 1),
    ],
)
def test_the_list_filters(clock, client_as, manager, query, rows):
    case_in(CaseStatus.NEW)
    case_in(CaseStatus.IN_PROGRESS, kind="repair", priority="urgent")
    case_in(CaseStatus.CLOSED)
    clock.set(2026, 11, 30, 15)  # the urgent one (due 14:00) is late
    response = client_as(manager).get(reverse("complaints:case_list") + query)
    assert len(response.context["table"].page.object_list) == rows


def test_a_department_sees_its_own_cases_only(clock, client_as, engineering):
    mine = case_in(CaseStatus.ASSIGNED, department=engineering)
    theirs = case_in(
        CaseStatus.ASSIGNED, department=DepartmentFactory(code="security", name="保安部")
    )
    member = worker(engineering)
    client = client_as(member)
    listed = client.get(reverse("complaints:case_queue")).context["table"].page.object_list
    assert [row.record.pk for row in listed] == [mine.pk]
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 403


def test_the_desk_logs_a_case_for_a_unit(clock, client_as, assistant, engineering):
    occupancy = OccupancyFactory()
    response = client_as(assistant).post(
        reverse("complaints:case_create"),
        {
            "kind": "repair",
            "channel": "phone",
            "unit": occupancy.unit.code.lower(),
            "description": "卷帘门坏了",
            "priority": "high",
            "department": engineering.pk,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert (case.tenant, case.status, case.department) == (
        occupancy.tenant,
        "assigned",
        engineering,
    )


def test_a_bad_case_shows_its_errors_next_to_the_fields(clock, client_as, assistant):
    response = client_as(assistant).post(
        reverse("complaints:case_create"),
        {
            "kind": "complaint",
            "channel": "walk_in",
            "unit": "",
            "visitor_name": "张先生",
            "visitor_phone": "123",
            "description": "噪音",
            "priority": "normal",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "visitor_phone": ["A mainland mobile number has 11 digits; this one has 3."]
    }
    unknown = client_as(assistant).post(
        reverse("complaints:case_create"),
        {
            "kind": "complaint",
            "channel": "walk_in",
            "unit": "Z-9",
            "description": "x",
            "priority": "normal",
        },
    )
    assert unknown.context["form"].errors == {"unit": ["There is no unit Z-9 in the register."]}
    assert Case.objects.count() == 0


@pytest.mark.parametrize("role", ["department", "finance", "auditor"])
def test_only_the_desk_logs_cases(login, role):
    assert login(role).get(reverse("complaints:case_create")).status_code == 403


def _buttons(response) -> list[str]:
    return sorted(response.context["actions"])


def test_the_case_page_shows_only_the_allowed_buttons(
    clock, client_as, assistant, manager, engineering
):
    case = case_in(CaseStatus.NEW)
    assert _buttons(client_as(assistant).get(case.get_absolute_url())) == ["assign"]
    case = case_in(CaseStatus.IN_PROGRESS, department=engineering)
    member = engineering.members.get()
    page = client_as(member).get(case.get_absolute_url())
    assert _buttons(page) == ["resolve", "update", "wait"]
    assert b'id="wait-form"' in page.content and b'id="assign-form"' not in page.content
    assert _buttons(client_as(manager).get(case.get_absolute_url())) == ["reassign"]
    resolved = case_in(CaseStatus.RESOLVED, department=engineering)
    assert _buttons(client_as(assistant).get(resolved.get_absolute_url())) == ["callback"]
    assert _buttons(client_as(manager).get(resolved.get_absolute_url())) == ["callback", "close"]


def test_the_case_page_takes_a_fixed_number_of_queries(
    clock, client_as, manager, django_assert_max_num_queries
):
    case = case_in(CaseStatus.CLOSED)
    client = client_as(manager)
    with django_assert_max_num_queries(20):
        assert client.get(case.get_absolute_url()).status_code == 200


def test_the_department_works_a_case_through_its_page(clock, client_as, assistant, engineering):
    case = case_in(CaseStatus.ASSIGNED, department=engineering)
    member = worker(engineering)
    client = client_as(member)
    client.post(reverse("complaints:case_start", args=[case.pk]), {"note": ""})
    response = client.post(
        reverse("complaints:case_resolve", args=[case.pk]), {"resolution": "已修好"}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "resolved"
    client = client_as(assistant)
    client.post(
        reverse("complaints:case_callback", args=[case.pk]),
        {"called_on": "2026-11-30", "method": "phone", "satisfaction": "2", "comment": "还在漏"},
    )
    assert Case.objects.get(pk=case.pk).status == "reopened"


def test_a_refused_action_is_a_message_and_changes_nothing(clock, client_as, manager, engineering):
    case = case_in(CaseStatus.NEW)
    response = client_as(manager).post(
        reverse("complaints:case_close", args=[case.pk]), {"note": "x"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Only a resolved case is closed."]
    assert Case.objects.get(pk=case.pk).status == "new"


@pytest.mark.parametrize("role", ["assistant", "manager", "finance"])
def test_a_department_action_is_403_to_others(clock, login, role, engineering):
    case = case_in(CaseStatus.ASSIGNED, department=engineering)
    response = login(role).post(reverse("complaints:case_start", args=[case.pk]))
    assert response.status_code == 403


def test_the_work_order_pdf(clock, client_as, department, engineering):
    engineering.members.add(department)
    case = case_in(CaseStatus.IN_PROGRESS, department=engineering, description="三楼卫生间漏水")
    response = client_as(department).get(reverse("complaints:case_work_order", args=[case.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "派工单" in text and "三楼卫生间漏水" in text and "工程部" in text
    assert case.number in text and "2026-12-02 16:00" in text
