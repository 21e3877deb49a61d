"""Staff shown as people: their name wherever a page, filter, print, export or history
names them; the login name only for an account nobody gave a name.

Lists that read users through ``.values()`` rows use ``name_of``; lists sorted by the
person use ``PERSON_ORDER``; filters offer ``holders_of(permission)``.
"""

import re

import django_filters as df
import django_tables2 as tables
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import Q


def person_column(verbose_name, *, optional: bool = False, related_name: str = "+"):
    """The member of staff who did something to a record. PROTECT: a person who signed a
    money record is never deleted (deactivate the login instead)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=optional,
        blank=optional,
        related_name=related_name,
        verbose_name=verbose_name,
    )


HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·]+$")


def name_of(first_name: str, last_name: str, username: str) -> str:
    """The name a person goes by. Django's full name puts the given name first, which
    suits Western names; a Chinese name reads family name first and without a space."""
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if first and last and HAN.match(first) and HAN.match(last):
        return last + first
    return f"{first} {last}".strip() or username


def person_name(user) -> str:
    """The user's name, or "" for no user (a record made by the system)."""
    if user is None:
        return ""
    return name_of(user.first_name, user.last_name, user.get_username())


def person_fields(prefix: str) -> list[str]:
    """The ``.values()`` lookups ``person_from_row`` reads, for the user at ``prefix``."""
    return [f"{prefix}__first_name", f"{prefix}__last_name", f"{prefix}__username"]


def person_from_row(row: dict, prefix: str) -> str:
    first, last, username = (row.get(name) for name in person_fields(prefix))
    return name_of(first, last, username) if username else ""


def person_order(prefix: str) -> tuple[str, ...]:
    """Sort rows by the person at ``prefix`` (users without a name sort by login name)."""
    return tuple(person_fields(prefix))


def holders_of(permission: str, *, active_only: bool = False):
    """Users given ``permission`` by a role or directly (not merely by being a superuser:
    the administrator is not a cashier), ordered by name."""
    app_label, codename = permission.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = get_user_model().objects.filter(
        Q(groups__permissions__in=granted) | Q(user_permissions__in=granted)
    )
    if active_only:
        users = users.filter(is_active=True)
    return users.distinct().order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of users labelled by their names."""

    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class PersonFilter(df.ModelChoiceFilter):
    """A filter by user whose choices are labelled by name; give it ``holders_of(...)``."""

    field_class = PersonChoiceField


class PersonColumn(tables.Column):
    """A table column of a user (``accessor`` names it), shown and sorted by name."""

    def __init__(self, *, accessor: str, **kwargs):
        kwargs.setdefault("order_by", person_order(accessor.replace(".", "__")))
        super().__init__(accessor=accessor, **kwargs)

    def render(self, value) -> str:
        return person_name(value)
