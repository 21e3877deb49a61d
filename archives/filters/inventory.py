"""The filter of the inventory checks."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from archives.models import InventoryRun, RunState
from config.filters import StyledFilterSet


class RunFilter(StyledFilterSet):
    year = df.NumberFilter(label=_("year"))
    state = df.ChoiceFilter(label=_("state"), choices=RunState.choices)

    class Meta:
        model = InventoryRun
        fields = ["year", "state"]
