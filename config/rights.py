"""The record of every change of rights: a role, a permission, staff or superuser status
given to or taken from a user, or a permission given to or taken from a role; by whom
(the signed-in user of the request, none for a command, a migration or the shell) and
when. Written from the model signals, so the admin, the shell and config.roles are all
recorded alike; read on the page below by the manager, the auditor and the administrator.

What bypasses the model layer (``QuerySet.update()``, raw SQL) is not seen here.
"""

import django_filters as df
import django_tables2 as tables
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.dates import DateColumn
from config.filters import StyledFilterSet, date_range
from config.lists import FilteredList
from config.models import RightKind, RightsChange
from config.people import PersonColumn, PersonFilter, person_name, person_order
from config.roles import permission_label, role_label

# The account fields that carry rights, and the kind of right each is.
STATUS_FIELDS = {"is_staff": RightKind.STAFF, "is_superuser": RightKind.SUPERUSER}


def _actor():
    """Who is signed in on the request being served (django-simple-history's middleware
    keeps it), or None outside a request."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _permission_codes(pks) -> dict[int, str]:
    rows = Permission.objects.filter(pk__in=pks).values_list(
        "pk", "content_type__app_label", "codename"
    )
    return {pk: f"{app_label}.{codename}" for pk, app_label, codename in rows}


def _group_names(pks) -> dict[int, str]:
    return dict(Group.objects.filter(pk__in=pks).values_list("pk", "name"))


class Link:
    """One many-to-many relation that carries rights: a subject (a user or a role) and the
    rights it holds (roles or permissions), as the through table names them."""

    def __init__(self, through, subject: str, right: str, kind: str):
        self.through, self.subject, self.right, self.kind = through, subject, right, kind

    def pairs(self, instance, reverse: bool, pks) -> list[tuple[int, int]]:
        """(subject pk, right pk) for a change seen from ``instance``."""
        if reverse:  # instance is the right (a group, a permission); pks are subjects
            return [(pk, instance.pk) for pk in pks]
        return [(instance.pk, pk) for pk in pks]

    def current(self, instance, reverse: bool) -> list[int]:
        """The pks on the other side of ``instance`` now (before a clear() empties them)."""
        mine, theirs = (self.right, self.subject) if reverse else (self.subject, self.right)
        return list(
            self.through.objects.filter(**{f"{mine}_id": instance.pk})
            .order_by("pk")
            .values_list(f"{theirs}_id", flat=True)
        )

    def rows(self, pairs, granted: bool) -> list[RightsChange]:
        names = (_group_names if self.kind == RightKind.ROLE else _permission_codes)(
            {right for _subject, right in pairs}
        )
        roles = _group_names({subject for subject, _right in pairs}) if self.is_role else {}
        now, by = timezone.now(), _actor()
        return [
            RightsChange(
                at=now,
                by=by,
                user_id=None if self.is_role else subject,
                role=roles.get(subject, ""),
                kind=self.kind,
                granted=granted,
                right=names.get(right, ""),
            )
            for subject, right in pairs
        ]

    @property
    def is_role(self) -> bool:
        return self.subject == "group"


def _links() -> dict[type, Link]:
    User = get_user_model()
    return {
        link.through: link
        for link in (
            Link(User.groups.through, "user", "group", RightKind.ROLE),
            Link(User.user_permissions.through, "user", "permission", RightKind.PERMISSION),
            Link(Group.permissions.through, "group", "permission", RightKind.PERMISSION),
        )
    }


def record_link_change(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    link = _links()[sender]
    if action == "pre_clear":
        instance._rights_cleared = link.current(instance, reverse)
        return
    if action == "post_clear":
        pk_set, granted = instance.__dict__.pop("_rights_cleared", []), False
    elif action in ("post_add", "post_remove"):
        granted = action == "post_add"
    else:
        return
    if pk_set:
        RightsChange.objects.bulk_create(link.rows(link.pairs(instance, reverse, pk_set), granted))


WATCHED_FIELDS = (*STATUS_FIELDS, "password")


def remember_status(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Before a user is saved: their staff and superuser status and password hash as stored
    (none for a new account), unless the save cannot change them."""
    instance._rights_before = None
    if raw or (update_fields is not None and not set(WATCHED_FIELDS) & set(update_fields)):
        return
    stored = None
    if instance.pk is not None:
        stored = sender._default_manager.filter(pk=instance.pk).values(*WATCHED_FIELDS).first()
    instance._rights_before = stored or {**dict.fromkeys(STATUS_FIELDS, False), "password": None}


def record_status(sender, instance, raw=False, **kwargs) -> None:
    before = instance.__dict__.pop("_rights_before", None)
    if raw or before is None:
        return
    now, by = timezone.now(), _actor()
    changes = [
        RightsChange(at=now, by=by, user=instance, kind=kind, granted=getattr(instance, field))
        for field, kind in STATUS_FIELDS.items()
        if getattr(instance, field) != before[field]
    ]
    if _set_by_someone_else(instance, before["password"], by):
        changes.append(
            RightsChange(at=now, by=by, user=instance, kind=RightKind.PASSWORD, granted=True)
        )
    RightsChange.objects.bulk_create(changes)


def _set_by_someone_else(user, password_before: str | None, by) -> bool:
    """A stored password replaced by a signed-in person other than its owner (a new account's
    first password and one's own change are nothing to record)."""
    changed = password_before is not None and user.password != password_before
    return changed and by is not None and by.pk != user.pk


def connect() -> None:
    """Called once from config's AppConfig.ready()."""
    User = get_user_model()
    for through in _links():
        m2m_changed.connect(record_link_change, sender=through, dispatch_uid=f"rights-{through}")
    pre_save.connect(remember_status, sender=User, dispatch_uid="rights-status-before")
    post_save.connect(record_status, sender=User, dispatch_uid="rights-status-after")


# --- the page --------------------------------------------------------------------------


class RightsChangeTable(tables.Table):
    at = DateColumn(format="Y-m-d H:i:s")
    by = PersonColumn(accessor="by", verbose_name=_("changed by"), empty_values=())
    whose = tables.Column(
        empty_values=(), verbose_name=_("whose rights"), order_by=(*person_order("user"), "role")
    )
    change = tables.Column(empty_values=(), verbose_name=_("change"), orderable=False)

    class Meta:
        model = RightsChange
        fields = ["at", "by", "whose", "change"]
        order_by = "-at"
        empty_text = _("No right was given or taken.")

    def render_by(self, value) -> str:
        return person_name(value) if value else str(_("the system (no one signed in)"))

    def render_whose(self, record) -> str:
        if record.user_id:
            return person_name(record.user)
        return _("role %(role)s") % {"role": role_label(record.role)}

    def render_change(self, record) -> str:
        what = RightKind(record.kind).label
        if record.kind == RightKind.PASSWORD:
            return str(what)
        verb = _("given") if record.granted else _("taken away")
        if record.kind == RightKind.ROLE:
            return f"{verb}: {what} {role_label(record.right)}"
        if record.kind == RightKind.PERMISSION:
            return f"{verb}: {what} {self._permission(record.right)}"
        return f"{verb}: {what}"

    def _permission(self, code: str) -> str:
        # Every permission's label, read once per page whatever the number of rows.
        if not hasattr(self, "_permissions"):
            self._permissions = {
                f"{p.content_type.app_label}.{p.codename}": permission_label(p)
                for p in Permission.objects.select_related("content_type")
            }
        return self._permissions.get(code, code)


class RightsChangeFilter(StyledFilterSet):
    user = PersonFilter(
        label=_("user"),
        queryset=get_user_model().objects.order_by("first_name", "last_name", "username"),
    )
    kind = df.ChoiceFilter(label=_("right"), choices=RightKind.choices)
    date_from, date_to = date_range("at__date")

    class Meta:
        model = RightsChange
        fields = ["user", "kind", "date_from", "date_to"]


class RightsChangeList(FilteredList):
    permission_required = "config.view_rightschange"
    filterset_class = RightsChangeFilter
    table_class = RightsChangeTable
    title = _("Changes of rights")

    def get_queryset(self):
        return RightsChange.objects.select_related("by", "user")
