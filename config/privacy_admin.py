"""The admin of a record with personal data, by config.privacy's rule: the change form, a past
version's form, the list, the search and the history show an ID number masked, and a mobile
number masked to a reader who may not see it whole. Such a field is typed in the admin only
when a record is added; it is changed on the record's own edit page (which keeps it masked)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from config.history import display_value, is_masked
from config.privacy import ID_NUMBER, MASKS, may_see_whole


class MaskedHistoryHelper(HistoricalRecordContextHelper):
    """The admin's list of changes reads personal fields as the application's history does."""

    def prepare_delta_change_value(self, change, value):
        if is_masked(self.model, change.field):
            return display_value(self.model, change.field, value)
        return super().prepare_delta_change_value(change, value)


def _masked_column(model, name: str, kind: str):
    @admin.display(description=model._meta.get_field(name).verbose_name)
    def column(self, obj) -> str:
        return MASKS[kind](getattr(obj, name)) or "—"

    return column


class PersonalDataAdmin(SimpleHistoryAdmin):
    """``personal_fields`` maps each personal field to its kind (config.privacy); each gets a
    masked column ``<field>_masked`` for the list and the read-only change form."""

    personal_fields: dict[str, str] = {}

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        for name, kind in self.personal_fields.items():
            setattr(type(self), f"{name}_masked", _masked_column(model, name, kind))

    def masked_fields(self, request) -> dict[str, str]:
        return {
            name: kind
            for name, kind in self.personal_fields.items()
            if kind == ID_NUMBER or not may_see_whole(request.user, kind)
        }

    def _columns(self, request) -> dict[str, str]:
        return {name: f"{name}_masked" for name in self.masked_fields(request)}

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded + list(self.masked_fields(request)) if obj is not None else excluded

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + list(self._columns(request).values()) if obj is not None else readonly

    def get_list_display(self, request):
        columns = self._columns(request)
        return [columns.get(name, name) for name in super().get_list_display(request)]

    def get_search_fields(self, request):
        # Finding a record by a number one may not read would tell whose number it is.
        hidden = self.masked_fields(request)
        return [name for name in super().get_search_fields(request) if name not in hidden]

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskedHistoryHelper(self.model, historical_record)
