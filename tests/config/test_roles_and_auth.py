import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from config.roles import ROLE_PERMISSIONS, Role, role_label, sync_roles

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_every_role_exists_with_exactly_its_permissions():
    for role, codes in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        have = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert have == codes


def test_sync_removes_a_permission_added_by_hand():
    group = Group.objects.get(name=Role.AUDITOR)
    from django.contrib.auth.models import Permission

    group.permissions.add(Permission.objects.get(codename="add_unit"))
    sync_roles()
    assert not group.permissions.filter(codename="add_unit").exists()


def test_no_role_may_delete_anything():
    assert all(
        not code.split(".")[1].startswith("delete_")
        for codes in ROLE_PERMISSIONS.values()
        for code in codes
    )


# Exporting what one may read changes nothing; nor does verifying the receipt chain.
READ_ONLY_EXTRAS = {"download_statement", "verify_receipts"}


def test_auditor_only_reads():
    assert all(
        code.split(".")[1].startswith("view_") or code.split(".")[1] in READ_ONLY_EXTRAS
        for code in ROLE_PERMISSIONS[Role.AUDITOR]
    )


@pytest.mark.parametrize(
    "role, panel_link",
    [
        (Role.ASSISTANT, "?verification=due"),
        (Role.MANAGER, "?status=vacant"),
        (Role.FINANCE, "/archives/contractors/"),
        (Role.AUDITOR, "/archives/contractors/"),
        (Role.DEPARTMENT, "/complaints/"),
        (Role.ADMINISTRATOR, "/admin/"),
    ],
)
def test_home_shows_each_role_its_panels(role, panel_link, make_user, client):
    client.force_login(make_user("someone", role))
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert [label for label, _panels in page.context["sections"]] == [role_label(role)]
    assert panel_link in page.content.decode()


def test_a_user_with_two_roles_sees_both_and_shared_panels_once(make_user, client):
    client.force_login(make_user("both", Role.ASSISTANT, Role.MANAGER))
    sections = client.get(reverse("home")).context["sections"]
    titles = [str(panel.title) for _label, panels in sections for panel in panels]
    assert len(sections) == 2
    assert len(titles) == len(set(titles))


def test_login_and_logout(make_user, client):
    make_user("desk", Role.ASSISTANT)
    response = client.post(reverse("login"), {"username": "desk", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405  # logging out is a POST
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_login_is_locked_after_five_failures(make_user, client):
    make_user("desk", Role.ASSISTANT)
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "desk", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "desk", "password": "pw-for-tests-1"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_language_is_chinese_unless_switched(make_user, client):
    del client.cookies["django_language"]  # a browser that never used the switch
    client.force_login(make_user("desk", Role.ASSISTANT))
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert page["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home"))
    assert page["Content-Language"] == "en"
    assert "Good day" in page.content.decode()


def test_the_login_page_and_health_need_no_login(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("health")).json()["status"] == "ok"  # tests/config/test_health.py


def test_area_pages_answer_without_error(make_user, client):
    client.force_login(make_user("desk", Role.ASSISTANT))
    for name in ["fees:index", "deposits:index", "complaints:index", "attendance:index", "search"]:
        assert client.get(reverse(name), follow=True).status_code == 200
    client.force_login(make_user("dept", Role.DEPARTMENT))
    assert client.get(reverse("complaints:index")).status_code == 200  # its department's cases
    assert client.get(reverse("fees:index")).status_code == 403


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_PRODUCTION": "1",
        "DJANGO_SECRET_KEY": "a-long-random-secret-for-the-check-only-" + "k7Qz" * 10,
        "DJANGO_ALLOWED_HOSTS": "desk.example.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    env = {**os.environ, "DJANGO_PRODUCTION": "1", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
