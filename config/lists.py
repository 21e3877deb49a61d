from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.rows import BoundRows

# Rows skipped before a page reads its rows' keys first (below it, one query is cheaper).
KEYS_FIRST_FROM = 500


class LatePagePaginator(Paginator):
    """Django's paginator for django-tables2, except that a late page picks its rows' keys
    in a subquery, then reads those rows whole, in one query. OFFSET makes the database build
    every row it skips, joins included; skipping keys in the sort's index costs a fraction
    of that. A page in the second half picks its keys from the end, in the reversed order:
    the last page costs what the first does, and no page skips more than half the keys. An
    early page and a late one cost the same queries (the count, the rows), whatever the
    size of the list."""

    keys_first_from = KEYS_FIRST_FROM

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list
        # A table's rows (django-tables2's BoundRows over its queryset), or a queryset.
        queryset = rows if isinstance(rows, QuerySet) else getattr(rows.data, "data", None)
        if bottom < self.keys_first_from or not isinstance(queryset, QuerySet):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        records = list(_rows(queryset, bottom, top, self.count))
        if rows is not queryset:
            records = BoundRows(records, table=rows.table, pinned_data=rows.pinned_data)
        return self._get_page(records, number, self)


def _rows(queryset: QuerySet, bottom: int, top: int, count: int) -> QuerySet:
    """Rows ``bottom`` to ``top`` of ``queryset``, in its order: the rows whose keys a
    subquery skips to in the sort's order (from the nearer end)."""
    # The key last, so that the order is total and reads the same both ways.
    ordering = [*(queryset.query.order_by or queryset.model._meta.ordering), "pk"]
    ordered = queryset.order_by(*ordering)
    if bottom <= count - top:
        keys = ordered.values("pk")[bottom:top]
    else:
        keys = ordered.reverse().values("pk")[count - top : count - bottom]
    rows = ordered.filter(pk__in=keys)
    # The page's keys as the first condition: SQLite reads the rows from the first list of
    # keys it is given, and the list's own filter may hold thousands (a search's matches).
    # The conditions are joined by AND, so their order changes nothing else.
    conditions = rows.query.where.children
    conditions.insert(0, conditions.pop())
    return rows


class KeysFirstPaginator(LatePagePaginator):
    """Every page's keys first, the first page's too: for a list whose filter may match
    thousands of rows that no index gives in the list's order (a text search), so that the
    database sorts keys, not the joined rows of every match."""

    keys_first_from = 0


# What every list's table paginates with (FilteredList, and the views that configure a
# table themselves).
PAGINATION = {"per_page": 50, "paginator_class": LatePagePaginator}


class FilteredList(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """A paginated, sortable, filterable list (django-tables2 + django-filter), 403 without the
    permission. Subclasses set the table, filter, permission and title."""

    raise_exception = True
    template_name = "list.html"
    # The table paginates; FilterView must not paginate (and count) the rows a second time.
    paginate_by = None
    table_pagination = PAGINATION
    title = ""
    create_url_name = ""
    create_permission = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_create = self.create_permission and self.request.user.has_perm(self.create_permission)
        context.update(
            title=self.title,
            create_url=reverse(self.create_url_name) if can_create and self.create_url_name else "",
        )
        return context
