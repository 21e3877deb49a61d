"""The two-level list of case categories (e.g. 设施设备 › 漏水), kept by the manager: added,
renamed, moved, deactivated (never deleted: cases point to them) and made active again."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaints.models import Category
from config.permissions import require
from config.states import locked, save_change
from config.validators import RuleError

ADD = "complaints.add_category"
CHANGE = "complaints.change_category"


@transaction.atomic
def category_save(
    *, by, category: Category | None = None, name: str, parent: Category | None = None
) -> Category:
    """Add a category (``category`` None) or change one. Two levels: a parent is a top
    category, and a category with subcategories has no parent."""
    require(by, CHANGE if category else ADD)
    name = (name or "").strip()
    if not name:
        raise RuleError(_("Name the category."), field="name")
    if parent is not None:
        if parent.parent_id is not None:
            raise RuleError(
                _("Categories have two levels: choose a top category as the parent."),
                field="parent",
            )
        if not parent.active:
            raise RuleError(_("Choose an active parent category."), field="parent")
        if category is not None and parent.pk == category.pk:
            raise RuleError(_("A category is not its own parent."), field="parent")
    if category is None:
        category = Category(name=name, parent=parent)
        reason = gettext_noop("added")
    else:
        category = locked(category)
        if parent is not None and category.children.exists():
            raise RuleError(
                _("This category has subcategories: it stays a top category."), field="parent"
            )
        category.name, category.parent = name, parent
        reason = gettext_noop("changed")
    if Category.objects.filter(parent=parent, name=name).exclude(pk=category.pk).exists():
        raise RuleError(_("There is such a category already."), field="name")
    save_change(category, reason)
    return category


@transaction.atomic
def category_deactivate(*, by, category: Category) -> Category:
    """The category is no longer offered for new cases; its cases keep it. A top category
    goes after its active subcategories."""
    require(by, CHANGE)
    category = locked(category)
    if not category.active:
        raise RuleError(_("The category is inactive already."))
    if category.children.filter(active=True).exists():
        raise RuleError(_("Deactivate its subcategories first."))
    category.active = False
    save_change(category, gettext_noop("deactivated"))
    return category


@transaction.atomic
def category_activate(*, by, category: Category) -> Category:
    require(by, CHANGE)
    category = locked(category)
    if category.active:
        raise RuleError(_("The category is active already."))
    if category.parent_id is not None and not category.parent.active:
        raise RuleError(_("Make its parent category active first."))
    category.active = True
    save_change(category, gettext_noop("activated"))
    return category
