"""Departments, categories and cases in any state, made through the services."""

import factory

from complaints.enums import CaseKind, CaseStatus, Channel, Priority
from complaints.models import Case, Category, Department
from complaints.services.callbacks import callback_record
from complaints.services.cases import (
    case_assign,
    case_close,
    case_receive,
    case_resolve,
    case_start,
    case_wait,
)
from config.roles import Role
from tests.factories.people import UserFactory, staff


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"部门{n}")

    @factory.post_generation
    def members(department, create, members, **kwargs):
        if create and members:
            department.members.add(*members)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"类别{n}")


def worker(department: Department, username: str = ""):
    """A member of ``department`` with the department role."""
    user = UserFactory(username=username or f"worker-{department.code}", roles=[Role.DEPARTMENT])
    department.members.add(user)
    return user


def case_in(status: str = CaseStatus.NEW, *, department: Department | None = None, **fields):
    """A case brought to ``status`` through the services, by the desk, a member of its
    department and the manager."""
    desk = staff(Role.ASSISTANT)
    fields.setdefault("kind", CaseKind.COMPLAINT)
    fields.setdefault("channel", Channel.PHONE)
    fields.setdefault("priority", Priority.NORMAL)
    fields.setdefault("description", "门口下水道堵塞，污水外溢")
    if "unit" not in fields and "tenant" not in fields:
        fields.setdefault("visitor_name", "张先生")
        fields.setdefault("visitor_phone", "13812345678")
    case = case_receive(by=desk, **fields)
    if status == CaseStatus.NEW:
        return case
    department = department or DepartmentFactory(code="engineering", name="工程部")
    case = case_assign(by=desk, case=case, department=department)
    if status == CaseStatus.ASSIGNED:
        return case
    member = department.members.first() or worker(department)
    case = case_start(by=member, case=case)
    if status == CaseStatus.IN_PROGRESS:
        return case
    if status == CaseStatus.WAITING:
        return case_wait(by=member, case=case, note="等租户确认上门时间")
    case = case_resolve(by=member, case=case, resolution="已疏通下水道")
    if status == CaseStatus.RESOLVED:
        return case
    from django.utils import timezone

    if status == CaseStatus.REOPENED:
        callback_record(
            by=desk,
            case=case,
            called_on=timezone.localdate(),
            method="phone",
            satisfaction=1,
            comment="又堵了",
        )
        return Case.objects.get(pk=case.pk)
    callback_record(
        by=desk, case=case, called_on=timezone.localdate(), method="phone", satisfaction=5
    )
    return case_close(by=staff(Role.MANAGER), case=case)
