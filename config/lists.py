from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import reverse
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin


class FilteredList(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """A paginated, sortable, filterable list (django-tables2 + django-filter), 403 without the
    permission. Subclasses set the table, filter, permission and title."""

    raise_exception = True
    template_name = "list.html"
    # The table paginates; FilterView must not paginate (and count) the rows a second time.
    paginate_by = None
    table_pagination = {"per_page": 50}
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
