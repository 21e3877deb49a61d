"""The manager's two-level list of case categories: the list, adding one, changing one,
deactivating one (never deleting: cases point to it) and making it active again."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Case, Count, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from complaints.filters.categories import CategoryFilter
from complaints.forms.categories import CategoryForm
from complaints.models import Category
from complaints.services import categories as service
from complaints.tables.categories import CategoryTable
from config.actions import action, form_page
from config.lists import FilteredList

VIEW = "complaints.view_category"


class CategoryList(FilteredList):
    permission_required = VIEW
    filterset_class = CategoryFilter
    table_class = CategoryTable
    title = gettext_lazy("Case categories")
    create_url_name = "complaints:category_create"
    create_permission = service.ADD

    def get_queryset(self):
        # Each top category, then its own: ordered by the family's name and the level, for
        # NULL parents sort first on SQLite and last on PostgreSQL.
        return Category.objects.select_related("parent").annotate(
            cases_count=Count("cases"),
            family=Coalesce("parent__name", "name"),
            level=Case(When(parent__isnull=True, then=Value(0)), default=Value(1)),
        )


def _list() -> str:
    return reverse("complaints:category_list")


@never_cache
@permission_required(service.ADD, raise_exception=True)
def category_create(request):
    form = CategoryForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: service.category_save(by=request.user, **form.cleaned_data),
        success=lambda category: _("Category %(name)s added.") % {"name": category},
        done=lambda category: _list(),
        title=_("Add a case category"),
        cancel_url=_list(),
    )


@never_cache
@permission_required(service.CHANGE, raise_exception=True)
def category_update(request, pk):
    category = get_object_or_404(Category.objects.select_related("parent"), pk=pk)
    form = CategoryForm(
        request.POST or None, initial={"name": category.name, "parent": category.parent}
    )
    form.fields["parent"].queryset = form.fields["parent"].queryset.exclude(pk=category.pk)
    return form_page(
        request,
        form,
        lambda: service.category_save(by=request.user, category=category, **form.cleaned_data),
        success=lambda changed: _("Category %(name)s changed.") % {"name": changed},
        done=lambda changed: _list(),
        title=_("Case category %(name)s") % {"name": category},
        cancel_url=_list(),
    )


def _back(pk) -> str:
    return _list()


@action(service.CHANGE, back=_back)
def category_deactivate(request, pk):
    category = service.category_deactivate(
        by=request.user, category=get_object_or_404(Category, pk=pk)
    )
    return _("Category %(name)s is inactive: new cases no longer take it.") % {"name": category}


@action(service.CHANGE, back=_back)
def category_activate(request, pk):
    category = service.category_activate(
        by=request.user, category=get_object_or_404(Category, pk=pk)
    )
    return _("Category %(name)s is active again.") % {"name": category}


urls = [
    path("categories/", CategoryList.as_view(), name="category_list"),
    path("categories/new/", category_create, name="category_create"),
    path("categories/<int:pk>/", category_update, name="category_update"),
    path("categories/<int:pk>/deactivate/", category_deactivate, name="category_deactivate"),
    path("categories/<int:pk>/activate/", category_activate, name="category_activate"),
]
