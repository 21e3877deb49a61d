"""The administrator's pages: the centre's details, and users and roles readable in the
reader's language.

Rights are given by a superuser only: another member of staff who may change users (the
administrator role) edits their names, e-mail and passwords, but sees roles, permissions,
staff and superuser status read-only, and cannot open a superuser's account for change;
roles' permissions change only in code (config.roles) or by a superuser. Every change of
rights, by any path, is recorded by config.rights.

Groups keep their code names (config.roles looks them up by name) and Django stores a
permission's name as English text when it creates it; so the lists and the choice boxes
show each group by its role label and each permission in translation instead.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from config.models import CalendarDay, Centre, RightsChange
from config.people import person_name
from config.permanence import PermanentAdmin
from config.roles import MONEY_PERMISSIONS, MONEY_ROLES, permission_label, role_label
from config.uploads import clean_image, png_data_uri
from config.workdays import calendar_warnings

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


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """The administrator's holidays and 调休 working days (config.workdays); the list warns
    of this year and the next when chinese-calendar does not know them yet."""

    list_display = ["day", "working", "note"]
    list_filter = ["working"]
    date_hierarchy = "day"

    def changelist_view(self, request, extra_context=None):
        for message in calendar_warnings(timezone.localdate()):
            messages.warning(request, message)
        return super().changelist_view(request, extra_context)


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


class SuperuserGivesRights:
    """Only a superuser adds, changes or deletes what carries rights."""

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


def _lines(labels) -> str:
    """Labels one per line, for a read-only field (Django would print each object's English
    ``str()`` instead)."""
    return format_html_join(mark_safe("<br>"), "{}", ((label,) for label in labels)) or "—"


def _permission_labels(permissions) -> str:
    return _lines(sorted(permission_label(p) for p in permissions.select_related("content_type")))


@admin.register(Group)
class RoleAdmin(SuperuserGivesRights, ReadableChoices, GroupAdmin):
    list_display = ["name", "role"]

    @admin.display(description=_("staff role"))
    def role(self, group: Group) -> str:
        return role_label(group.name)

    @admin.display(description=_("permissions"))
    def role_permissions(self, group: Group) -> str:
        return _permission_labels(group.permissions)

    def get_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fields(request, obj)
        return ["name", "role_permissions"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["name", "role_permissions"]


class RoleFilter(admin.SimpleListFilter):
    """The users of a role, the roles listed by their labels rather than group names."""

    title = _("roles")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(name, role_label(name)) for name in Group.objects.values_list("name", flat=True)]

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


def handles_money(groups, permissions) -> bool:
    """Whether roles ``groups`` or direct ``permissions`` let a person handle money."""
    if any(group.name in MONEY_ROLES for group in groups):
        return True
    return any(
        f"{perm.content_type.app_label}.{perm.codename}" in MONEY_PERMISSIONS
        for perm in permissions
    )


class StaffChangeForm(UserChangeForm):
    def clean(self):
        data = super().clean()
        user = self.instance
        superuser = data.get("is_superuser", user.is_superuser)
        # A field shown read-only is not in the form: the account's present value holds.
        groups = data.get("groups") if "groups" in self.fields else None
        permissions = data.get("user_permissions") if "user_permissions" in self.fields else None
        if groups is None:
            groups = user.groups.all() if user.pk else []
        if permissions is None:
            permissions = user.user_permissions.select_related("content_type") if user.pk else []
        if superuser and handles_money(groups or [], permissions or []):
            raise forms.ValidationError(
                _(
                    "A superuser handles no money: take away the roles or permissions that "
                    "take, return or vouch for money, or the superuser status."
                )
            )
        return data


# The fields of an account that carry rights: for all but a superuser, shown read-only (the
# many-to-many ones by readable stand-ins) and never taken from a POST.
READABLE_RIGHTS = {"groups": "roles", "user_permissions": "direct_permissions"}
RIGHTS_FIELDS = ("is_staff", "is_superuser", *READABLE_RIGHTS.values())


@admin.register(User)
class StaffAdmin(ReadableChoices, UserAdmin):
    form = StaffChangeForm
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

    @admin.display(description=_("permissions of the user"))
    def direct_permissions(self, user: User) -> str:
        return _permission_labels(user.user_permissions)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [READABLE_RIGHTS.get(f, f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *RIGHTS_FIELDS)

    def has_change_permission(self, request, obj=None):
        # A superuser's account (and its password) is changed by a superuser only: anyone
        # else who could would sign in as them.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(RightsChange)
class RightsChangeAdmin(PermanentAdmin, admin.ModelAdmin):
    """The record of rights given and taken (also a page for the manager and the auditor,
    config.rights): read-only, like every record of what happened."""

    list_display = ["at", "by", "user", "role", "kind", "granted", "right"]
    list_filter = ["kind", "granted"]
    list_select_related = ["by", "user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
