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
    """Django's paginator for django-tables2, except that a late page reads the keys of its
    rows first, then those rows by key. OFFSET makes the database build every row it skips,
    joins included; skipping keys in the sort's index costs a fraction of that. A page in
    the second half is read from the end, in the reversed order: no page skips more than
    half the keys. A page near the end skips as few rows from the end as an early page does
    from the start, and is read as one: its rows, in the reversed order, in one query. The
    last page costs what the first does, in time and in queries, however long the list."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list
        # A table's rows (django-tables2's BoundRows over its queryset), or a queryset.
        queryset = rows if isinstance(rows, QuerySet) else getattr(rows.data, "data", None)
        if bottom < KEYS_FIRST_FROM or not isinstance(queryset, QuerySet):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.count - top < KEYS_FIRST_FROM:
            records = _rows_from_end(queryset, bottom, top, self.count)
        else:
            keys = _keys(queryset, bottom, top, self.count)
            found = queryset.in_bulk(keys)
            records = [found[key] for key in keys]
        if rows is not queryset:
            records = BoundRows(records, table=rows.table, pinned_data=rows.pinned_data)
        return self._get_page(records, number, self)


def _total(queryset: QuerySet) -> QuerySet:
    # The key last, so that the order is total and reads the same both ways.
    ordering = [*(queryset.query.order_by or queryset.model._meta.ordering), "pk"]
    return queryset.order_by(*ordering)


def _rows_from_end(queryset: QuerySet, bottom: int, top: int, count: int) -> list:
    """Rows ``bottom`` to ``top`` of ``queryset`` near its end, read in the reversed order."""
    return list(_total(queryset).reverse()[count - top : count - bottom])[::-1]


def _keys(queryset: QuerySet, bottom: int, top: int, count: int) -> list:
    """The keys of rows ``bottom`` to ``top`` of ``queryset``, in its order."""
    ordered = _total(queryset)
    if bottom <= count - top:
        return list(ordered.values_list("pk", flat=True)[bottom:top])
    from_end = ordered.reverse().values_list("pk", flat=True)[count - top : count - bottom]
    return list(from_end)[::-1]


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
