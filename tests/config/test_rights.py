"""Rights are given by a superuser only, never to a person who handles money, and every
change of a user's or a role's rights is recorded with who made it and when. Tried as a
staff user of the administrator role would: POSTing the admin's forms by hand."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from config.demo import DEMO_STAFF, build_staff
from config.models import RightKind, RightsChange
from config.roles import MONEY_PERMISSIONS, MONEY_ROLES, ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(make_user):
    """The administrator role, as the demo's admin: staff, not a superuser."""
    return make_user("admin", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def root(make_user):
    return make_user("root", is_staff=True, is_superuser=True)


def group(role: str) -> Group:
    return Group.objects.get(name=role)


def permission(code: str) -> Permission:
    app_label, codename = code.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def user_form(user, **changes) -> dict:
    """The admin's change form of ``user`` as sent, with ``changes``: what a hand-made POST
    may carry whatever the page showed."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": f"{user.date_joined:%Y-%m-%d}",
        "date_joined_1": f"{user.date_joined:%H:%M:%S}",
        "last_login_0": "",
        "last_login_1": "",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [],
    }
    data.update(changes)
    return data


def change_url(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


ESCALATION = {
    "is_superuser": "on",
    "is_staff": "on",
    "first_name": "改过",
}


def rights_of(user) -> tuple:
    user.refresh_from_db()
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


def recorded(**lookup) -> list[tuple]:
    return list(
        RightsChange.objects.filter(**lookup)
        .order_by("pk")
        .values_list("by__username", "user__username", "role", "kind", "granted", "right")
    )


# --- the admin cannot raise anyone's rights but a superuser's hand ------------------------


def test_an_administrator_cannot_make_himself_superuser_or_give_himself_roles(admin_user, client):
    client.force_login(admin_user)
    before = RightsChange.objects.count()
    form = client.get(change_url(admin_user)).context["adminform"].form
    assert {"is_superuser", "is_staff", "groups", "user_permissions"} & set(form.fields) == set()

    response = client.post(
        change_url(admin_user),
        user_form(
            admin_user,
            **ESCALATION,
            groups=[group(Role.ADMINISTRATOR).pk, group(Role.MANAGER).pk],
            user_permissions=[permission("fees.approve_void").pk, permission("auth.add_group").pk],
        ),
    )
    # The page saves what it may (a name) and nothing that carries rights.
    assert response.status_code == 302
    assert rights_of(admin_user) == (False, True, ["administrator"], [])
    assert admin_user.first_name == "改过"
    assert RightsChange.objects.count() == before


def test_an_administrator_reads_rights_by_their_labels(admin_user, make_user, client):
    person = make_user("person", Role.ASSISTANT)
    person.user_permissions.add(permission("fees.approve_void"))
    client.force_login(admin_user)
    shown = read_only(client.get(change_url(person)))
    assert {name: shown[name] for name in ("roles", "direct_permissions")} == {
        "roles": "Front-desk assistant",
        "direct_permissions": "Fees | Can approve a receipt&#x27;s void",
    }
    role = client.get(reverse("admin:auth_group_change", args=[group(Role.FINANCE).pk]))
    labels = read_only(role)["role_permissions"].split("<br>")
    assert "Fees | Can confirm the handover of a day&#x27;s cash" in labels


def read_only(response) -> dict[str, str]:
    """The read-only fields of an admin page: {name: what is shown}."""
    return {
        line.field["name"]: line.contents()
        for fieldset in response.context["adminform"]
        for row in fieldset
        for line in row
        if line.is_readonly
    }


def test_an_administrator_cannot_give_another_user_rights(admin_user, assistant, client):
    client.force_login(admin_user)
    client.post(
        change_url(assistant),
        user_form(
            assistant,
            **ESCALATION,
            groups=[group(Role.MANAGER).pk],
            user_permissions=[permission("fees.approve_void").pk],
        ),
    )
    assert rights_of(assistant) == (False, False, ["assistant"], [])


def test_an_administrator_cannot_change_a_superuser_nor_their_password(admin_user, root, client):
    client.force_login(admin_user)
    response = client.get(change_url(root))
    assert (response.status_code, response.context["has_change_permission"]) == (200, False)
    assert client.post(change_url(root), user_form(root, first_name="x")).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.get(password_url).status_code == 403
    response = client.post(password_url, {"password1": "taken-over-1", "password2": "taken-over-1"})
    assert response.status_code == 403
    root.refresh_from_db()
    assert (root.first_name, root.check_password("pw-for-tests-1")) == ("", True)


def test_a_password_set_by_someone_else_is_recorded_ones_own_change_is_not(
    admin_user, manager, client
):
    """The administrator may set a forgotten password (the desk has no mail), and could then
    sign in as that person: every such setting is in the record, with who did it."""
    client.force_login(admin_user)
    password_url = reverse("admin:auth_user_password_change", args=[manager.pk])
    response = client.post(
        password_url,
        {"password1": "Temp-pass-2026", "password2": "Temp-pass-2026", "usable_password": "true"},
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("Temp-pass-2026")
    assert recorded(kind=RightKind.PASSWORD) == [
        (admin_user.username, "manager", "", RightKind.PASSWORD, True, "")
    ]

    client.force_login(manager)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Temp-pass-2026",
            "new_password1": "Own-secret-77",
            "new_password2": "Own-secret-77",
        },
    )
    assert response.status_code == 302
    assert RightsChange.objects.filter(kind=RightKind.PASSWORD).count() == 1
    response = client.get(reverse("rights_changes"))
    assert "password set by someone else" in response.content.decode()


def test_an_administrator_cannot_change_roles_or_add_one(admin_user, client):
    client.force_login(admin_user)
    auditor = group(Role.AUDITOR)
    url = reverse("admin:auth_group_change", args=[auditor.pk])
    assert client.get(url).context["has_change_permission"] is False
    data = {"name": "auditor", "permissions": [permission("fees.approve_void").pk]}
    assert client.post(url, data).status_code == 403
    add = reverse("admin:auth_group_add")
    assert client.get(add).status_code == 403
    assert client.post(add, {"name": "root-like"}).status_code == 403
    assert auditor.permissions.filter(codename="approve_void").exists() is False
    assert Group.objects.filter(name="root-like").exists() is False


def test_a_superuser_gives_rights_and_each_change_is_recorded(root, assistant, client):
    client.force_login(root)
    response = client.post(
        change_url(assistant),
        user_form(
            assistant,
            is_staff="on",
            groups=[group(Role.ASSISTANT).pk, group(Role.AUDITOR).pk],
            user_permissions=[permission("archives.view_unit").pk],
        ),
    )
    assert response.status_code == 302
    assert rights_of(assistant) == (False, True, ["assistant", "auditor"], ["view_unit"])
    assert recorded(by=root) == [
        ("root", "assistant", "", RightKind.STAFF, True, ""),
        ("root", "assistant", "", RightKind.ROLE, True, "auditor"),
        ("root", "assistant", "", RightKind.PERMISSION, True, "archives.view_unit"),
    ]

    client.post(change_url(assistant), user_form(assistant, groups=[group(Role.ASSISTANT).pk]))
    assert recorded(by=root)[3:] == [
        ("root", "assistant", "", RightKind.STAFF, False, ""),
        ("root", "assistant", "", RightKind.ROLE, False, "auditor"),
        ("root", "assistant", "", RightKind.PERMISSION, False, "archives.view_unit"),
    ]


@pytest.mark.parametrize(
    "rights",
    [
        {"groups": "manager"},
        {"groups": "finance"},
        {"groups": "assistant"},
        {"user_permissions": "fees.confirm_handover"},
    ],
)
def test_nobody_who_handles_money_is_made_superuser(root, make_user, client, rights):
    person = make_user("person")
    client.force_login(root)
    value = (
        [group(rights["groups"]).pk]
        if "groups" in rights
        else [permission(rights["user_permissions"]).pk]
    )
    response = client.post(
        change_url(person),
        user_form(person, is_superuser="on", **{next(iter(rights)): value}),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "A superuser handles no money: take away the roles or permissions that take, "
        "return or vouch for money, or the superuser status."
    ]
    assert rights_of(person) == (False, False, [], [])


def test_a_superuser_may_be_an_administrator_or_an_auditor(root, make_user, client):
    person = make_user("person")
    client.force_login(root)
    groups = [group(Role.ADMINISTRATOR).pk, group(Role.AUDITOR).pk]
    client.post(change_url(person), user_form(person, is_superuser="on", groups=groups))
    assert rights_of(person) == (True, False, ["administrator", "auditor"], [])


def test_money_roles_are_the_ones_that_take_or_vouch_for_money():
    assert MONEY_ROLES == {Role.ASSISTANT, Role.MANAGER, Role.FINANCE}
    assert ROLE_PERMISSIONS[Role.ADMINISTRATOR] & MONEY_PERMISSIONS == set()


# --- the record, whatever the path ---------------------------------------------------------


def test_changes_made_without_a_request_are_recorded_as_by_nobody(make_user):
    person = make_user("person")
    manager_role, auditor_role = group(Role.MANAGER), group(Role.AUDITOR)
    person.groups.add(manager_role)
    auditor_role.user_set.add(person)  # from the role's side
    person.user_permissions.add(permission("fees.approve_void"))
    person.groups.clear()
    person.is_superuser = True
    person.save()
    person.save(update_fields=["last_login"])  # a login changes no right
    assert recorded(user=person) == [
        (None, "person", "", RightKind.ROLE, True, "manager"),
        (None, "person", "", RightKind.ROLE, True, "auditor"),
        (None, "person", "", RightKind.PERMISSION, True, "fees.approve_void"),
        (None, "person", "", RightKind.ROLE, False, "manager"),
        (None, "person", "", RightKind.ROLE, False, "auditor"),
        (None, "person", "", RightKind.SUPERUSER, True, ""),
    ]


def test_a_new_superuser_is_recorded(django_user_model):
    django_user_model.objects.create_superuser("root2", password="pw-for-tests-1")
    assert recorded(user__username="root2") == [
        (None, "root2", "", RightKind.STAFF, True, ""),
        (None, "root2", "", RightKind.SUPERUSER, True, ""),
    ]


def test_a_roles_permissions_are_recorded_by_role():
    # config.roles gave every role its permissions at migrate time, recorded too.
    assert RightsChange.objects.filter(role="auditor", granted=True).count() == len(
        ROLE_PERMISSIONS[Role.AUDITOR]
    )
    last = RightsChange.objects.latest("pk").pk
    auditor_role = group(Role.AUDITOR)
    auditor_role.permissions.add(permission("fees.approve_void"))
    permission("fees.approve_day").group_set.add(auditor_role)
    auditor_role.permissions.remove(permission("fees.approve_void"))
    assert recorded(role="auditor", pk__gt=last) == [
        (None, None, "auditor", RightKind.PERMISSION, True, "fees.approve_void"),
        (None, None, "auditor", RightKind.PERMISSION, True, "fees.approve_day"),
        (None, None, "auditor", RightKind.PERMISSION, False, "fees.approve_void"),
    ]


def test_the_record_is_read_by_the_manager_the_auditor_and_the_administrator(
    root, assistant, manager, auditor, admin_user, finance, department, client, make_user
):
    person = make_user("person", Role.ASSISTANT)
    client.force_login(root)
    client.post(
        change_url(person),
        user_form(person, groups=[group(Role.ASSISTANT).pk, group(Role.AUDITOR).pk]),
    )
    url = reverse("rights_changes") + f"?user={person.pk}"
    for user in (assistant, finance, department):
        client.force_login(user)
        assert client.get(url).status_code == 403
    for user in (manager, auditor, admin_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        rows = [
            [row.get_cell(name) for name in ("by", "whose", "change")]
            for row in response.context["table"].page.object_list
        ]
        assert rows == [
            ["root", "person", "given: role Auditor"],
            ["the system (no one signed in)", "person", "given: role Front-desk assistant"],
        ]


def test_the_record_names_permissions_and_roles_readably(client, manager):
    group(Role.AUDITOR).permissions.add(permission("fees.issue_receipt"))
    client.force_login(manager)
    response = client.get(reverse("rights_changes") + "?kind=permission")
    rows = [
        [row.get_cell(name) for name in ("whose", "change")]
        for row in response.context["table"].page.object_list
    ][:1]
    assert rows == [["role Auditor", "given: permission Fees | Can issue receipts"]]


def test_the_record_page_reads_in_a_fixed_number_of_queries(flat_queries, manager, make_user):
    people = iter(range(100))

    def add_row():
        make_user(f"p{next(people)}").groups.add(group(Role.AUDITOR))

    flat_queries(reverse("rights_changes") + "?kind=role", add_row, queries=9, user=manager)


# --- the demo ----------------------------------------------------------------------------


def test_the_demo_administrator_is_staff_but_no_superuser_and_handles_no_money():
    staff = build_staff()
    admin = staff["admin"]
    assert (admin.is_staff, admin.is_superuser) == (True, False)
    assert [name for name, user in staff.items() if user.is_superuser] == []
    assert {perm for perm in MONEY_PERMISSIONS if admin.has_perm(perm)} == set()
    assert [name for name, _full, role in DEMO_STAFF if role == Role.ADMINISTRATOR] == ["admin"]


def test_a_demo_built_before_is_corrected(django_user_model):
    django_user_model.objects.create_superuser("admin", password="pw-for-tests-1")
    assert build_staff()["admin"].is_superuser is False
