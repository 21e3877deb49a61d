"""The desk's callbacks list (回访): the resolved cases whose callback is due today or late;
the callback itself is recorded on the case's page (views.cases.case_callback)."""

from django.urls import path
from django.utils.translation import gettext_lazy

from complaints.filters.callbacks import CallbackFilter
from complaints.selectors.cases import CALLBACK, callbacks_waiting
from complaints.tables.callbacks import CallbackTable
from config.lists import FilteredList


class CallbackList(FilteredList):
    permission_required = CALLBACK
    filterset_class = CallbackFilter
    table_class = CallbackTable
    title = gettext_lazy("Callbacks due")

    def get_queryset(self):
        return callbacks_waiting()


urls = [
    path("callbacks/", CallbackList.as_view(), name="callback_list"),
]
