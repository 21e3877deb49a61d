"""The departments that work cases, kept by the manager: added, changed, deactivated (never
deleted: cases point to them) and made active again."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaints.enums import OPEN
from complaints.models import Department
from config.permissions import require
from config.states import locked, save_change
from config.validators import RuleError

ADD = "complaints.add_department"
CHANGE = "complaints.change_department"
WORK = "complaints.work_case"


def _check_members(members) -> list:
    members = list(members)
    outsiders = [user for user in members if not user.has_perm(WORK)]
    if outsiders:
        raise RuleError(
            _("Only users of the department role are members of a department."), field="members"
        )
    return members


@transaction.atomic
def department_save(
    *,
    by,
    department: Department | None = None,
    code: str,
    name: str,
    extension: str = "",
    members=(),
) -> Department:
    """Add a department (``department`` None) or change one; its members are exactly
    ``members``, users of the department role."""
    require(by, CHANGE if department else ADD)
    code, name = (code or "").strip(), (name or "").strip()
    if not name:
        raise RuleError(_("Name the department."), field="name")
    members = _check_members(members)
    others = Department.objects.exclude(pk=department.pk if department else None)
    if others.filter(code=code).exists():
        raise RuleError(_("Another department has this code."), field="code")
    if others.filter(name=name).exists():
        raise RuleError(_("Another department has this name."), field="name")
    if department is None:
        department = Department(code=code, name=name, extension=(extension or "").strip())
        reason = gettext_noop("added")
    else:
        department = locked(department)
        department.code, department.name = code, name
        department.extension = (extension or "").strip()
        reason = gettext_noop("changed")
    save_change(department, reason)
    department.members.set(members)
    return department


@transaction.atomic
def department_deactivate(*, by, department: Department) -> Department:
    """No new case goes to the department; it keeps its past cases. Not while it holds
    open ones (the manager reassigns them first)."""
    require(by, CHANGE)
    department = locked(department)
    if not department.active:
        raise RuleError(_("The department is inactive already."))
    holding = department.cases.filter(status__in=OPEN).count()
    if holding:
        raise RuleError(
            _("The department holds %(count)s open cases: reassign them first.")
            % {"count": holding}
        )
    department.active = False
    save_change(department, gettext_noop("deactivated"))
    return department


@transaction.atomic
def department_activate(*, by, department: Department) -> Department:
    require(by, CHANGE)
    department = locked(department)
    if department.active:
        raise RuleError(_("The department is active already."))
    department.active = True
    save_change(department, gettext_noop("activated"))
    return department
