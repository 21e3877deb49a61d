"""Each role logs in through the form and lands on its own home page."""

from urllib.parse import urlparse

import pytest
from django.utils import translation
from playwright.sync_api import expect

from config.home import role_panels
from config.roles import Role, role_label
from tests.e2e.audit import login

pytestmark = pytest.mark.e2e

ROLES = [
    ("assistant", Role.ASSISTANT),
    ("manager", Role.MANAGER),
    ("finance", Role.FINANCE),
    ("auditor", Role.AUDITOR),
    ("engineering", Role.DEPARTMENT),
    ("admin", Role.ADMINISTRATOR),
]


@pytest.mark.parametrize(("username", "role"), ROLES, ids=[username for username, _ in ROLES])
def test_role_home_page(page, staff, username, role):
    login(page, username)

    assert urlparse(page.url).path == "/"
    # Every demo user has one role, so the page has one section, labelled with that role.
    expect(page.locator("main section[aria-labelledby^='role-']")).to_have_count(1)
    with translation.override("zh-hans"):
        label = role_label(role)
    expect(page.locator("#role-1")).to_have_text(label)
    section = page.locator("section[aria-labelledby='role-1']")
    expect(section.locator(".card")).to_have_count(len(role_panels(role)))
    expect(page.locator(".alert-warning")).to_have_count(0)  # the "no role yet" notice
