import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archives.filters.register import YES_NO
from archives.models import FileKind, Tenant, TenantFile, Unit
from config.filters import StyledFilterSet
from config.search import starts_with


class FileFilter(StyledFilterSet):
    """The file list's filters; ``missing`` is the list's annotation (selectors.file_list)."""

    q = df.CharFilter(
        label=_("file number, unit or tenant"),
        method="by_text",
        help_text=_("Matches the start."),
    )
    kind = df.ChoiceFilter(label=_("kind of file"), choices=FileKind.choices)
    gaps = df.ChoiceFilter(label=_("has gaps"), choices=YES_NO, method="by_gaps")

    class Meta:
        model = TenantFile
        fields = ["q", "kind", "gaps"]

    def by_text(self, queryset, name, value):
        """Files whose number, unit code or tenant's name begins with the text: each by its
        own index (the unit and the tenant found first, then their files by key), where a
        substring read every file with its unit and tenant."""
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            starts_with("number", text.upper())
            | Q(unit__in=Unit.objects.filter(starts_with("code", text.upper())).values("pk"))
            | Q(tenant__in=Tenant.objects.filter(starts_with("name", text)).values("pk"))
        )

    def by_gaps(self, queryset, name, value):
        return queryset.filter(missing__gt=0) if value == "yes" else queryset.filter(missing=0)
