from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test import override_settings
from django.utils import translation

from config.permanence import maintenance
from config.roles import Role

# Django's own flush (manage.py flush), which the triggers of permanent records refuse.
UNPATCHED_FLUSH = BaseDatabaseOperations.execute_sql_flush


def ensure_fee_catalogue() -> None:
    """The fee catalogue comes from a data migration, and the flush after a transactional
    test (the browser tests, the concurrency test) deletes it: seed it again, as migrated."""
    from django.apps import apps

    import_module("fees.migrations.0002_seed_fee_catalogue").seed(apps, None)
    # The fees a shop handover bills are seeded by deposits' migration.
    import_module("deposits.migrations.0005_moveouts_records").seed_fees(apps, None)
    # The tenant file's catalogue of document types, as archives' migration seeds it.
    import_module("archives.migrations.0007_files_seed_catalogue").seed(apps, None)


BROWSER_TESTS = Path(__file__).parent / "e2e"
KINDS = ("unit", "integration", "browser")
# Fixtures that reach the test database (pytest-django's, and the ones that build on them).
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Give every test its kind (unit, integration or browser) unless it says so itself:
    browser for tests/e2e/ (also marked e2e, the name CI selects by), integration for a
    test that uses the database, unit for the rest (``-m unit`` needs no database). Tests
    that migrate the schema back and forth are slow as well."""
    for item in items:
        if item.get_closest_marker("migrations"):
            item.add_marker(pytest.mark.slow)
        if any(item.get_closest_marker(kind) for kind in KINDS):
            continue
        if BROWSER_TESTS in Path(item.path).parents or item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.e2e)
        elif item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.integration)
        else:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session", autouse=True)
def flush_in_maintenance():
    """pytest-django empties the database after each transactional test (the browser tests,
    the concurrency tests) with Django's flush: TRUNCATE on PostgreSQL, DELETE on SQLite,
    both refused by the triggers of permanent records (config.permanence). In the test
    suite, and only here, the flush runs in maintenance. The flush also deletes what the
    data migrations seeded (the catalogues), so it is seeded again at once: with xdist's
    work stealing, a test of the catalogue may run after a transactional one in its worker."""

    def execute_sql_flush(ops, sql_list):
        with maintenance(ops.connection.alias):
            UNPATCHED_FLUSH(ops, sql_list)
        ensure_fee_catalogue()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(scope="session", autouse=True)
def media_of_the_run(tmp_path_factory):
    """What the code stores under MEDIA_ROOT (an audit pack keeps the receipts' originals)
    goes to a folder of the test run, never into the checkout's var/uploads; a test that
    looks at the files points MEDIA_ROOT at its own tmp_path."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


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
def no_calendar_days(monkeypatch):
    """The administrator's calendar days (config.workdays) are none and read no database,
    so that a page's query count does not depend on when they were last read; the tests of
    those days ask for ``calendar_days``."""
    from config import workdays

    monkeypatch.setattr(workdays, "_load", dict)
    workdays.forget_overrides()
    yield
    workdays.forget_overrides()


@pytest.fixture
def calendar_days(monkeypatch):
    """config.workdays reads the administrator's calendar days from the database."""
    from config import workdays

    monkeypatch.setattr(workdays, "_load", workdays._read_database)
    workdays.forget_overrides()


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
def administrator(make_user):
    # As in the demo (issue #9): staff, so the admin opens; the role's rights (config.roles),
    # not a superuser's.
    return make_user("admin", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def login(request, client):
    """The test client logged in as the user of a role's fixture, by the role's name
    ("anonymous": not logged in)."""

    def as_role(role: str):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return as_role


@pytest.fixture
def client_as(client):
    """A test client logged in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def flat_queries(client, django_assert_num_queries):
    """Assert that a page takes exactly ``queries`` database queries with one row and the
    same number with three, so that its cost does not grow with its rows:

        flat_queries(reverse("fees:day_list"), HandoverFactory, queries=10, user=manager)

    ``add_row()`` adds one row the page shows. ``read`` is a URL (a GET as ``user`` that
    must answer 200; a list's table must then show two rows more) or a callable to measure.
    Returns what the two reads returned (the responses), for checks of what they show."""

    def check(read, add_row, *, queries: int, user=None):
        if user is not None:
            client.force_login(user)
        url = read if isinstance(read, str) else None

        def measure():
            with django_assert_num_queries(queries):
                result = client.get(url) if url else read()
            if url:
                assert result.status_code == 200
            return result

        add_row()
        one = measure()
        add_row()
        add_row()
        three = measure()
        if url and "table" in one.context:
            assert _table_rows(three) - _table_rows(one) == 2
        return one, three

    return check


def _table_rows(response) -> int:
    return len(response.context["table"].page.object_list)
