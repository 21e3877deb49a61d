"""Filters of the destruction lists and of the holds."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from archives.models import DestructionList, Hold, HoldReason, ListState
from config.filters import StyledFilterSet

IN_FORCE = (("active", _("In force")), ("lifted", _("Lifted")))


class DestructionListFilter(StyledFilterSet):
    state = df.ChoiceFilter(label=_("state"), choices=ListState.choices)

    class Meta:
        model = DestructionList
        fields = ["state"]


class HoldFilter(StyledFilterSet):
    state = df.ChoiceFilter(label=_("state"), choices=IN_FORCE, method="filter_state")
    reason = df.ChoiceFilter(label=_("reason"), choices=HoldReason.choices)

    class Meta:
        model = Hold
        fields = ["state", "reason"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(lifted_at__isnull=(value == "active"))
