"""The manager keeps the departments and the two-level list of categories in the app:
added, changed, deactivated (never deleted), made active again; others are refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from complaints.enums import CaseStatus
from complaints.models import Category, Department
from complaints.services.categories import (
    category_activate,
    category_deactivate,
    category_save,
)
from complaints.services.departments import (
    department_activate,
    department_deactivate,
    department_save,
)
from config.validators import RuleError
from tests.factories.complaints import CategoryFactory, DepartmentFactory, case_in, worker

pytestmark = pytest.mark.django_db


def test_the_manager_adds_and_changes_a_department(manager, department):
    made = department_save(by=manager, code="cleaning", name="保洁部", members=[department])
    assert (made.code, made.name, list(made.members.all())) == ("cleaning", "保洁部", [department])
    changed = department_save(
        by=manager, department=made, code="cleaning", name="环境部", extension="8003", members=[]
    )
    assert (changed.name, changed.extension, changed.members.count()) == ("环境部", "8003", 0)
    assert [h.history_change_reason for h in made.history.order_by("history_id")] == [
        "added",
        "changed",
    ]


def test_a_department_refuses_a_taken_name_or_code_and_members_without_the_role(manager, assistant):
    DepartmentFactory(code="security", name="保安部")
    with pytest.raises(RuleError, match="Another department has this code."):
        department_save(by=manager, code="security", name="安保部")
    with pytest.raises(RuleError, match="Another department has this name."):
        department_save(by=manager, code="guard", name="保安部")
    with pytest.raises(RuleError, match="Only users of the department role"):
        department_save(by=manager, code="guard", name="安保部", members=[assistant])
    assert Department.objects.count() == 1


@pytest.mark.parametrize("role", ["assistant", "administrator", "department", "auditor"])
def test_only_the_manager_keeps_departments(request, role):
    with pytest.raises(PermissionDenied):
        department_save(by=request.getfixturevalue(role), code="x", name="某部")


def test_a_department_holding_open_cases_is_not_deactivated(clock, manager):
    engineering = DepartmentFactory(code="engineering", name="工程部")
    case = case_in(CaseStatus.ASSIGNED, department=engineering)
    with pytest.raises(RuleError, match="The department holds 1 open cases: reassign them first."):
        department_deactivate(by=manager, department=engineering)
    case.status = CaseStatus.CLOSED
    case.save()
    assert department_deactivate(by=manager, department=engineering).active is False
    with pytest.raises(RuleError, match="inactive already"):
        department_deactivate(by=manager, department=engineering)
    assert department_activate(by=manager, department=engineering).active is True
    with pytest.raises(RuleError, match="active already"):
        department_activate(by=manager, department=engineering)


def test_categories_have_two_levels(manager):
    facilities = category_save(by=manager, name="设施设备")
    leak = category_save(by=manager, name="漏水", parent=facilities)
    assert str(leak) == "设施设备 › 漏水"
    with pytest.raises(RuleError, match="Categories have two levels"):
        category_save(by=manager, name="屋顶漏水", parent=leak)
    with pytest.raises(RuleError, match="This category has subcategories"):
        category_save(
            by=manager,
            category=facilities,
            name="设施设备",
            parent=CategoryFactory(name="公共区域"),
        )
    with pytest.raises(RuleError, match="There is such a category already."):
        category_save(by=manager, name="漏水", parent=facilities)
    with pytest.raises(RuleError, match="A category is not its own parent."):
        category_save(by=manager, category=facilities, name="设施", parent=facilities)


def test_a_category_goes_after_its_subcategories_and_comes_back_after_its_parent(manager):
    facilities = CategoryFactory(name="设施设备")
    leak = CategoryFactory(name="漏水", parent=facilities)
    with pytest.raises(RuleError, match="Deactivate its subcategories first."):
        category_deactivate(by=manager, category=facilities)
    category_deactivate(by=manager, category=leak)
    category_deactivate(by=manager, category=facilities)
    with pytest.raises(RuleError, match="Make its parent category active first."):
        category_activate(by=manager, category=leak)
    category_activate(by=manager, category=facilities)
    assert category_activate(by=manager, category=leak).active is True


def test_the_manager_pages(clock, client_as, manager, department):
    client = client_as(manager)
    response = client.post(
        reverse("complaints:department_create"),
        {"code": "cleaning", "name": "保洁部", "extension": "8002", "members": [department.pk]},
    )
    assert response.status_code == 302
    cleaning = Department.objects.get(code="cleaning")
    assert list(cleaning.members.all()) == [department]
    response = client.post(reverse("complaints:department_deactivate", args=[cleaning.pk]))
    assert response.status_code == 302
    assert Department.objects.get(pk=cleaning.pk).active is False
    bad = client.post(reverse("complaints:department_create"), {"code": "a b", "name": ""})
    assert sorted(bad.context["form"].errors) == ["code", "name"]
    client.post(reverse("complaints:category_create"), {"name": "设施设备"})
    facilities = Category.objects.get()
    client.post(reverse("complaints:category_create"), {"name": "漏水", "parent": facilities.pk})
    page = client.get(reverse("complaints:category_list"))
    assert [str(row.record) for row in page.context["table"].page.object_list] == [
        "设施设备",
        "设施设备 › 漏水",
    ]


def test_the_department_list_takes_as_many_queries_for_three_rows_as_for_one(flat_queries, manager):
    made = iter(range(10))

    def add_row():
        n = next(made)
        department = DepartmentFactory(code=f"d{n}", name=f"部门{n}")
        worker(department, username=f"w{n}")

    flat_queries(reverse("complaints:department_list"), add_row, queries=9, user=manager)


def test_the_category_list_takes_as_many_queries_for_three_rows_as_for_one(flat_queries, manager):
    flat_queries(reverse("complaints:category_list"), CategoryFactory, queries=8, user=manager)
