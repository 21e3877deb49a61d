import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archives.filters.register import YES_NO
from archives.models import FileKind, TenantFile
from config.filters import StyledFilterSet


class FileFilter(StyledFilterSet):
    """The file list's filters; ``missing`` is the list's annotation (selectors.file_list)."""

    q = df.CharFilter(label=_("file number, unit or tenant"), method="by_text")
    kind = df.ChoiceFilter(label=_("kind of file"), choices=FileKind.choices)
    gaps = df.ChoiceFilter(label=_("has gaps"), choices=YES_NO, method="by_gaps")

    class Meta:
        model = TenantFile
        fields = ["q", "kind", "gaps"]

    def by_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value)
            | Q(unit__code__icontains=value)
            | Q(tenant__name__icontains=value)
        )

    def by_gaps(self, queryset, name, value):
        return queryset.filter(missing__gt=0) if value == "yes" else queryset.filter(missing=0)
