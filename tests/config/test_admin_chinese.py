"""The administrator's pages in Chinese as far as Django allows: apps, models, roles and
permissions by their translated names (group names themselves are data, kept as coded)."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from config.admin import permission_label
from config.roles import Role


def permission(code: str) -> Permission:
    app_label, codename = code.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.django_db
def test_permissions_read_in_chinese():
    with translation.override("zh-hans"):
        assert permission_label(permission("fees.add_receipt")) == "收费 | 可添加收据"
        assert permission_label(permission("fees.issue_receipt")) == "收费 | 可开具收据"
        assert permission_label(permission("archives.view_historicalunit")) == (
            "档案 | 可查看铺位的历史记录"
        )
    with translation.override("en"):
        assert permission_label(permission("fees.issue_receipt")) == "Fees | Can issue receipts"


@pytest.fixture
def admin_client_zh(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-for-tests-1")
    client.force_login(admin)
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    return client


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_admin_index_names_every_app_and_model_in_chinese(admin_client_zh):
    text = visible_text(admin_client_zh.get(reverse("admin:index")).content.decode())
    for name in ("登录尝试", "登录失败", "登录日志", "收费项目", "铺位", "用户", "组"):
        assert name in text
    assert re.findall(r"Access \w+|Axes|AXES|Fees|Archives", text) == []


@pytest.mark.django_db
def test_groups_and_users_show_roles_by_label(admin_client_zh, make_user):
    make_user("lxm", Role.ASSISTANT, first_name="李晓敏")
    groups = admin_client_zh.get(reverse("admin:auth_group_changelist")).content.decode()
    assert "客服中心助理" in groups and "客服中心经理" in groups

    html = admin_client_zh.get(reverse("admin:auth_user_changelist")).content.decode()
    assert re.search(r"李晓敏</td>\s*<td[^>]*>客服中心助理</td>", html)
    # The filter by role lists the roles by their labels.
    role_filter = html[html.index("以 角色") :]
    assert "客服中心助理" in role_filter and ">assistant<" not in role_filter

    assistant_group = Group.objects.get(name=Role.ASSISTANT)
    form = (
        admin_client_zh.get(reverse("admin:auth_group_change", args=[assistant_group.pk]))
        .context["adminform"]
        .form
    )
    with translation.override("zh-hans"):
        labels = [label for _value, label in form.fields["permissions"].choices]
    assert "收费 | 可开具收据" in labels
    assert [label for label in labels if "Can " in label or "historical" in label] == []
