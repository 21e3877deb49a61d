import django_filters as df
from django.utils.translation import gettext_lazy as _

from archives.models import AccessKind, AccessLog, AccessRequest, AccessStatus
from archives.selectors.access import of_file_number, people_in_the_log
from config.filters import StyledFilterSet, date_range
from config.people import PersonFilter


class AccessLogFilter(StyledFilterSet):
    user = PersonFilter(label=_("shown to"), queryset=people_in_the_log(), field_name="user")
    kind = df.ChoiceFilter(label=_("what was shown"), choices=AccessKind.choices)
    file = df.CharFilter(label=_("file number"), method="by_file")
    document = df.CharFilter(
        label=_("document"), field_name="document__title", lookup_expr="icontains"
    )
    subject = df.CharFilter(label=_("whose record"), lookup_expr="icontains")
    date_from, date_to = date_range("at__date")

    class Meta:
        model = AccessLog
        fields = ["user", "kind", "file", "document", "subject", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A fresh queryset per page: whoever was logged since the start is offered too.
        self.filters["user"].queryset = people_in_the_log()
        self.form.fields["user"].queryset = people_in_the_log()

    def by_file(self, queryset, name, value):
        return of_file_number(queryset, value) if value.strip() else queryset


class AccessRequestFilter(StyledFilterSet):
    status = df.ChoiceFilter(label=_("status"), choices=AccessStatus.choices)
    file = df.CharFilter(label=_("file number"), field_name="file__number", lookup_expr="iexact")

    class Meta:
        model = AccessRequest
        fields = ["status", "file"]
