"""The complaints journey in Chromium (issue #12), through the pages as the desk, the
manager and a department use them: the desk logs a tenant's phone complaint with the
short form (the unit found by its code), the manager assigns it to engineering, the
department starts it, records an update and resolves it, and the desk's callback scores
2 of 5: the case goes back to the department.

The database only sets up the register, the department and its category, and checks the
case's state and timeline; everything else is typed and clicked.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from complaints.enums import ActionKind, CaseStatus
from complaints.models import Case
from tests.e2e.audit import login, navigate, submit, visit
from tests.factories.archives import OccupancyFactory, UnitFactory
from tests.factories.complaints import CategoryFactory, DepartmentFactory

pytestmark = pytest.mark.e2e


def test_phone_complaint_to_reopening_callback(page, staff, second_page):
    occupancy = OccupancyFactory(unit=UnitFactory(code="A-1-101"))
    engineering = DepartmentFactory(code="engineering", name="工程部")
    engineering.members.add(get_user_model().objects.get(username="engineering"))
    leak = CategoryFactory(name="漏水", parent=CategoryFactory(name="设施设备"))

    # The desk takes the call: finds the unit by its code, sees it has no case yet.
    login(page, "assistant")
    visit(page, "/complaints/cases/new/")
    page.fill("#lookup-unit", "a-1-101")
    navigate(page, lambda: page.click("#find-unit"))
    expect(page.locator("#unit-recent")).to_contain_text(occupancy.tenant.name)
    expect(page.locator("#unit-recent")).to_contain_text("该铺位尚无事项。")
    expect(page.locator("#id_unit")).to_have_value("A-1-101")
    expect(page.locator("#id_channel")).to_have_value("phone")
    page.select_option("#id_kind", "complaint")
    page.select_option("#id_category", label=str(leak))
    page.fill("#id_description", "店内天花板漏水，滴到货架上")
    page.select_option("#id_priority", "high")
    submit(page, "#case-form button[type=submit]")
    case = Case.objects.get()
    assert page.url.endswith(f"/complaints/cases/{case.pk}/")
    assert (case.unit, case.tenant, case.channel, case.status) == (
        occupancy.unit,
        occupancy.tenant,
        "phone",
        CaseStatus.NEW,
    )

    # The manager sees it unassigned and gives it to engineering.
    manager = second_page("manager")
    visit(manager, "/complaints/cases/?show=unassigned")
    expect(manager.locator("table tbody tr")).to_have_count(1)
    visit(manager, case.get_absolute_url())
    manager.select_option("#assign-form select[name=department]", label="工程部")
    submit(manager, "#assign-form button[type=submit]")
    expect(manager.locator("#department")).to_have_text("工程部")

    # Engineering finds it in its queue, starts, records an update and resolves it.
    works = second_page("engineering")
    visit(works, "/complaints/cases/mine/")
    expect(works.locator("table tbody tr")).to_have_count(1)
    visit(works, case.get_absolute_url())
    submit(works, "#start-form button[type=submit]")
    works.fill("#update-form textarea[name=note]", "已上门查看，楼上空调冷凝管破裂")
    submit(works, "#update-form button[type=submit]")
    works.fill("#resolve-form textarea[name=resolution]", "更换冷凝管，天花板已修补")
    submit(works, "#resolve-form button[type=submit]")
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED

    # The desk calls back: the tenant is not satisfied (2 of 5), the case is reopened.
    visit(page, case.get_absolute_url())
    page.select_option("#callback-form select[name=method]", "phone")
    page.select_option("#callback-form select[name=satisfaction]", "2")
    page.fill("#callback-form textarea[name=comment]", "下雨后又开始漏水")
    submit(page, "#callback-form button[type=submit]")
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED
    assert list(case.actions.order_by("at", "pk").values_list("kind", flat=True)) == [
        ActionKind.RECEIVED,
        ActionKind.ASSIGNED,
        ActionKind.STARTED,
        ActionKind.UPDATED,
        ActionKind.RESOLVED,
        ActionKind.CALLBACK,
        ActionKind.REOPENED,
    ]
    expect(page.locator("#callbacks")).to_contain_text("2/5")
    expect(page.locator("#timeline li")).to_have_count(7)

    # Back in engineering's queue, to start again.
    visit(works, "/complaints/cases/mine/")
    expect(works.locator("table tbody tr")).to_have_count(1)
    visit(works, case.get_absolute_url())
    expect(works.locator("#start-form")).to_have_count(1)
