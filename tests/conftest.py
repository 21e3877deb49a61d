from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation

from config.roles import Role


def ensure_fee_catalogue() -> None:
    """The fee catalogue comes from a data migration, and the flush after a transactional
    test (the browser tests, the concurrency test) deletes it: seed it again, as migrated."""
    from django.apps import apps

    import_module("fees.migrations.0002_seed_fee_catalogue").seed(apps, None)


@pytest.fixture(autouse=True)
def english_messages(client):
    """Tests compare English messages: services run in English, and the test client has
    chosen English with the language switch. Users get Chinese by default; the tests of
    that default clear the cookie."""
    translation.activate("en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks (config.jobs) run at once, in the test's own thread and transaction
    (Django's immediate backend); tests/config/test_jobs_worker.py runs the real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher costs about a second per user on these machines; tests make many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(django_user_model):
    """A user with the given roles (group names from config.roles.Role)."""

    def make(username: str, *roles: str, **extra):
        user = django_user_model.objects.create_user(
            username=username, password="pw-for-tests-1", **extra
        )
        for role in roles:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def assistant(make_user):
    return make_user("assistant", Role.ASSISTANT)


@pytest.fixture
def manager(make_user):
    return make_user("manager", Role.MANAGER)


@pytest.fixture
def finance(make_user):
    return make_user("finance", Role.FINANCE)


@pytest.fixture
def auditor(make_user):
    return make_user("auditor", Role.AUDITOR)


@pytest.fixture
def department(make_user):
    return make_user("engineering", Role.DEPARTMENT)


@pytest.fixture
def client_as(client):
    """A test client logged in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login
