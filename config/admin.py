"""The administrator's pages: the centre's details, and users and roles readable in the
reader's language.

Groups keep their code names (config.roles looks them up by name) and Django stores a
permission's name as English text when it creates it; so the lists and the choice boxes
show each group by its role label and each permission in translation instead.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from config.models import Centre
from config.people import person_name
from config.roles import role_label
from config.uploads import clean_image, png_data_uri

# A logo or seal is a small picture; a larger file is a mistake, not a better print.
CENTRE_IMAGE_MAX_BYTES = 2 * 1024 * 1024


class StoredImageInput(AdminFileWidget):
    """Shows the stored image itself rather than a link to it: uploads are not served by
    URL (DESIGN.md, uploads), and a logo or seal is small enough to travel in the page."""

    template_name = "config/widgets/stored_image_input.html"

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview"] = png_data_uri(value) if self.is_initial(value) else ""
        return context


class CentreForm(forms.ModelForm):
    class Meta:
        model = Centre
        fields = ["name", "address", "telephone", "public_url", "logo", "seal"]
        widgets = {"logo": StoredImageInput, "seal": StoredImageInput}

    def _clean_upload(self, name: str):
        value = self.cleaned_data.get(name)
        # A new upload is decoded and re-encoded; the stored file or a "clear" passes as is.
        if isinstance(value, UploadedFile):
            return clean_image(value, max_bytes=CENTRE_IMAGE_MAX_BYTES)
        return value

    def clean_logo(self):
        return self._clean_upload("logo")

    def clean_seal(self):
        return self._clean_upload("seal")


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin):
    """One row: the list opens the row (or the form to make it); nobody deletes it."""

    form = CentreForm

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Centre.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        centre = Centre.objects.filter(pk=Centre.SINGLETON_ID).first()
        if centre is not None and self.has_view_or_change_permission(request, centre):
            return redirect("admin:config_centre_change", centre.pk)
        if centre is None and self.has_add_permission(request):
            return redirect("admin:config_centre_add")
        return super().changelist_view(request, extra_context)

    def get_changeform_initial_data(self, request):
        return {"name": settings.CENTRE_NAME, "public_url": settings.CENTRE_PUBLIC_URL}


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
