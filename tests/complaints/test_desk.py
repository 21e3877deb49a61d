"""The desk's lists and form: the case list's tabs (open, unassigned, due soon, overdue) and
text search, the callbacks due, the short log form (the unit found by its code, its recent
cases, a repeat flagged before saving), and the cases' home panels."""

from datetime import date

import pytest
from django.urls import reverse

from complaints.enums import CaseStatus
from complaints.models import Case
from complaints.panels import (
    callbacks_panel,
    logged_today_panel,
    overdue_panel,
    unassigned_panel,
)
from complaints.selectors.cases import callbacks_due
from tests.factories.archives import OccupancyFactory
from tests.factories.complaints import CategoryFactory, DepartmentFactory, case_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineering():
    return DepartmentFactory(code="engineering", name="工程部")


def listed(response) -> list[int]:
    return [row.record.pk for row in response.context["table"].page.object_list]


def test_the_tabs_show_open_unassigned_due_soon_and_overdue_cases(clock, client_as, manager):
    new = case_in(CaseStatus.NEW, priority="low")  # due in 72 business hours
    urgent = case_in(CaseStatus.IN_PROGRESS, priority="urgent")  # due 14:00 today
    high = case_in(CaseStatus.ASSIGNED, priority="high")  # due 18:00 today
    case_in(CaseStatus.CLOSED)
    clock.set(2026, 11, 30, 15)  # urgent is late; high is due within 4 business hours
    client = client_as(manager)
    url = reverse("complaints:case_list")

    def shown(show):
        return sorted(listed(client.get(f"{url}?show={show}")))

    assert shown("open") == sorted([new.pk, urgent.pk, high.pk])
    assert shown("unassigned") == [new.pk]
    assert shown("due_soon") == [high.pk]
    assert shown("overdue") == [urgent.pk]
    page = client.get(f"{url}?show=overdue")
    assert page.context["shown"] == "overdue"
    assert [value for value, _label, _url in page.context["tabs"]] == [
        "",
        "open",
        "unassigned",
        "due_soon",
        "overdue",
    ]


def test_a_case_waiting_on_the_tenant_is_neither_due_soon_nor_overdue(clock, client_as, manager):
    case_in(CaseStatus.WAITING, priority="urgent")
    clock.set(2026, 11, 30, 15)
    client = client_as(manager)
    url = reverse("complaints:case_list")
    assert listed(client.get(f"{url}?show=overdue")) == []
    assert listed(client.get(f"{url}?show=due_soon")) == []


def test_the_text_search_finds_a_number_a_unit_code_or_words(clock, client_as, manager):
    occupancy = OccupancyFactory()
    of_unit = case_in(CaseStatus.NEW, unit=occupancy.unit, description="空调不制冷")
    other = case_in(CaseStatus.NEW, description="门口下水道堵塞")
    client = client_as(manager)
    url = reverse("complaints:case_list")
    assert listed(client.get(url, {"q": other.number})) == [other.pk]
    assert listed(client.get(url, {"q": str(other.pk)})) == [other.pk]
    assert listed(client.get(url, {"q": occupancy.unit.code.lower()})) == [of_unit.pk]
    assert listed(client.get(url, {"q": "下水道"})) == [other.pk]
    assert listed(client.get(url, {"q": "无此内容"})) == []


def test_the_callbacks_list_shows_what_is_due_today_and_late(clock, client_as, assistant):
    early = case_in(CaseStatus.RESOLVED)  # resolved Monday 30 Nov: due Tuesday 1 Dec
    clock.set(2026, 12, 1, 10)
    later = case_in(CaseStatus.RESOLVED)  # due Wednesday 2 Dec
    assert (early.callback_due_on, later.callback_due_on) == (date(2026, 12, 1), date(2026, 12, 2))
    client = client_as(assistant)
    url = reverse("complaints:callback_list")
    assert listed(client.get(url)) == [early.pk]
    assert listed(client.get(url, {"later": "yes"})) == [early.pk, later.pk]
    clock.set(2026, 12, 2, 9)
    assert listed(client_as(assistant).get(url)) == [early.pk, later.pk]


def test_a_callback_due_on_a_friday_resolution_is_the_monday(clock):
    clock.set(2026, 12, 4, 16)  # a Friday
    case = case_in(CaseStatus.RESOLVED)
    assert case.callback_due_on == date(2026, 12, 7)


def test_a_reopened_case_is_no_longer_due_for_a_callback(clock):
    case = case_in(CaseStatus.REOPENED)
    assert case.callback_due_on is None
    assert list(callbacks_due(date(2026, 12, 31))) == []


def test_the_callbacks_list_takes_as_many_queries_for_three_rows_as_for_one(
    clock, flat_queries, assistant
):
    flat_queries(
        reverse("complaints:callback_list") + "?later=yes",
        lambda: case_in(CaseStatus.RESOLVED),
        queries=9,
        user=assistant,
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("assistant", 200), ("manager", 200), ("auditor", 403), ("department", 403)],
)
def test_who_reads_the_callbacks_list(login, role, status):
    assert login(role).get(reverse("complaints:callback_list")).status_code == status


def _log(client, unit, category, **extra):
    return client.post(
        reverse("complaints:case_create"),
        {
            "kind": "complaint",
            "channel": "phone",
            "unit": unit.code,
            "category": category.pk,
            "description": "隔壁噪音",
            "priority": "normal",
            **extra,
        },
    )


def test_the_log_form_finds_the_unit_and_shows_its_recent_cases(clock, client_as, assistant):
    occupancy = OccupancyFactory()
    cases = [case_in(CaseStatus.NEW, unit=occupancy.unit) for _ in range(6)]
    page = client_as(assistant).get(
        reverse("complaints:case_create"), {"unit": occupancy.unit.code.lower()}
    )
    assert page.status_code == 200
    assert page.context["unit"] == occupancy.unit
    assert page.context["occupant"].tenant == occupancy.tenant
    assert [c.pk for c in page.context["recent"]] == [c.pk for c in reversed(cases)][:5]
    assert page.context["form"].initial == {"unit": occupancy.unit.code, "channel": "phone"}
    missing = client_as(assistant).get(reverse("complaints:case_create"), {"unit": "Z-9-99"})
    assert missing.context["unit"] is None
    assert b'id="unit-missing"' in missing.content


def test_a_repeat_is_flagged_before_it_is_saved(clock, client_as, assistant):
    occupancy = OccupancyFactory()
    noise = CategoryFactory(name="噪音")
    first = case_in(CaseStatus.NEW, unit=occupancy.unit, category=noise)
    clock.set(2026, 12, 29, 10)  # 29 days later
    client = client_as(assistant)
    response = _log(client, occupancy.unit, noise)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "repeat_confirmed": [
            f"A repeat: case {first.number} of this unit in this category was logged on "
            "2026-11-30. Tick the box to log this one as a repeat."
        ]
    }
    assert [c.pk for c in response.context["recent"]] == [first.pk]
    assert Case.objects.count() == 1
    response = _log(client, occupancy.unit, noise, repeat_confirmed="on")
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert case.actions.get().note == f"Repeat of {first.number}"


def test_a_case_after_30_days_or_of_another_category_is_no_repeat(clock, client_as, assistant):
    occupancy = OccupancyFactory()
    noise, leak = CategoryFactory(name="噪音"), CategoryFactory(name="漏水")
    case_in(CaseStatus.NEW, unit=occupancy.unit, category=noise)
    clock.set(2026, 12, 31, 10)  # 31 days later
    client = client_as(assistant)
    assert _log(client, occupancy.unit, noise).status_code == 302
    assert _log(client, occupancy.unit, leak).status_code == 302
    assert [case.actions.get().note for case in Case.objects.order_by("pk")[1:]] == ["", ""]


def test_the_desk_and_manager_panels(clock, assistant, manager):
    overdue = case_in(CaseStatus.ASSIGNED, priority="urgent")
    new = case_in(CaseStatus.NEW)
    resolved = case_in(CaseStatus.RESOLVED)
    clock.set(2026, 12, 1, 15)
    today = date(2026, 12, 1)
    logged = case_in(CaseStatus.NEW, priority="low")
    assert [i[0] for i in callbacks_panel(assistant, today).items] == [
        f"{resolved.number} · Complaint · 张先生"
    ]
    assert callbacks_panel(assistant, today).items[0][2] == "12-01"
    assert logged_today_panel(assistant, today).count == 1
    assert logged_today_panel(assistant, today).items[0][1] == logged.get_absolute_url()
    assert [i[1] for i in overdue_panel(manager, today).items] == [overdue.get_absolute_url()]
    assert [i[1] for i in unassigned_panel(manager, today).items] == [
        new.get_absolute_url(),
        logged.get_absolute_url(),
    ]


def test_the_home_page_shows_the_manager_overdue_and_unassigned(clock, client_as, manager):
    case_in(CaseStatus.NEW)
    page = client_as(manager).get(reverse("home"))
    ((_role, panels),) = page.context["sections"]
    cases = [(str(p.title), p.count) for p in panels if str(p.title).endswith("cases")]
    assert cases == [("Overdue cases", 0)]
    assert [(str(p.title), p.count) for p in panels if str(p.title) == "Cases to assign"] == [
        ("Cases to assign", 1)
    ]
