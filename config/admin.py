"""The administrator's pages for users and roles, readable in the reader's language.

Groups keep their code names (config.roles looks them up by name) and Django stores a
permission's name as English text when it creates it; so the lists and the choice boxes
show each group by its role label and each permission in translation instead.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from config.people import person_name
from config.roles import role_label

# Django names the permissions it makes for every model "Can add <model>" etc.
DEFAULT_PERMISSIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def _model_name(model) -> str:
    # django-simple-history names its tables "historical <model>" in the language of the
    # moment the model was loaded; name them from the model they keep the history of.
    recorded = getattr(model, "instance_type", None)
    if recorded is not None:
        return gettext("history of %(model)s") % {"model": recorded._meta.verbose_name}
    return str(model._meta.verbose_name)


def permission_label(permission: Permission) -> str:
    """The app and the permission in the reader's language, e.g. 收费 | 可开具收据."""
    model = permission.content_type.model_class()
    if model is None:
        return f"{permission.content_type.app_label} | {permission.name}"
    action, _sep, model_name = permission.codename.partition("_")
    if action in DEFAULT_PERMISSIONS and model_name == model._meta.model_name:
        name = DEFAULT_PERMISSIONS[action] % {"model": _model_name(model)}
    else:
        # Meta.permissions names are message ids of our catalogue, stored untranslated.
        name = gettext(permission.name)
    return f"{model._meta.app_config.verbose_name} | {name}"


class ReadableChoices:
    """Choice boxes that list groups by role and permissions in translation."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.related_model is Permission:
            field.label_from_instance = permission_label
        elif db_field.related_model is Group:
            field.label_from_instance = lambda group: role_label(group.name)
        return field


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class RoleAdmin(ReadableChoices, GroupAdmin):
    list_display = ["name", "role"]

    @admin.display(description=_("staff role"))
    def role(self, group: Group) -> str:
        return role_label(group.name)


class RoleFilter(admin.SimpleListFilter):
    """The users of a role, the roles listed by their labels rather than group names."""

    title = _("roles")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(name, role_label(name)) for name in Group.objects.values_list("name", flat=True)]

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


@admin.register(User)
class StaffAdmin(ReadableChoices, UserAdmin):
    list_display = ["username", "name", "roles", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", RoleFilter]

    @admin.display(description=pgettext_lazy("person", "name"), ordering="first_name")
    def name(self, user: User) -> str:
        return person_name(user)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        separator = pgettext("list separator", ", ")
        return separator.join(role_label(group.name) for group in user.groups.all()) or "—"
