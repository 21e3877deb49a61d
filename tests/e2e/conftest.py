"""Fixtures of the browser tests: Chromium driven by Playwright against pytest-django's
live server, with demo users, and the automatic screenshot + axe audit of tests/e2e/audit.py.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import ensure_fee_catalogue
from tests.e2e import audit
from tests.e2e.audit import desk_context, login

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("E2E_REQUIRED", "").lower() in {"1", "true", "yes"}
# Chromium from Debian (Playwright's own browser download is not reachable here). The
# network is closed, so Chromium's background connections are switched off rather than
# left to fail on every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_prerequisites() -> list[str]:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium ({CHROMIUM})")
    if not audit.AXE_JS.exists():
        missing.append(f"axe-core ({audit.AXE_JS})")
    return missing


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last; skip them (or, with E2E_REQUIRED=1, let them fail) when
    they cannot run.

    Last, because from the browser's start to the session's end the test thread has a
    running asyncio loop and DJANGO_ALLOW_ASYNC_UNSAFE set (see ``browser``): no other test
    should run in that state, least of all one that starts manage.py in a subprocess.
    """
    items.sort(key=lambda item: "e2e" in item.keywords)  # stable: keeps the order otherwise
    missing = missing_prerequisites()
    if not missing or REQUIRED:
        return
    reason = f"browser tests need {' and '.join(missing)}: run scripts/e2e_setup.sh"
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Browser:
    missing = missing_prerequisites()
    if missing:
        needed = " and ".join(missing)
        pytest.fail(f"E2E_REQUIRED is set but {needed} missing: run scripts/e2e_setup.sh")
    # Screenshots of this run only: stale ones from renamed tests would mislead.
    shutil.rmtree(audit.SCREENSHOT_DIR, ignore_errors=True)
    audit.SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    # Playwright's sync API keeps an asyncio loop running in the test thread while the
    # browser lives, and Django refuses ORM calls from a thread with a running loop. Our ORM
    # calls (fixtures, assertions, the database flush) are plain synchronous code, so we
    # tell Django so, for as long as the browser lives and no longer.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, request) -> Page:
    """A fresh browser context per test (no cookies carried over) on the live server."""
    # An English browser on purpose: the desk shows Chinese unless the user switches.
    context = desk_context(browser, live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page_audit = audit.attach(page, request.node.name)
    yield page
    try:
        # The test's last page, if it was reached without one of the audit helpers. A test
        # that failed already is left alone: its own failure is the one to read.
        call = getattr(request.node, "rep_call", None)
        failed = call is None or call.failed
        if not failed and page.url.startswith("http") and not page_audit.is_audited():
            page_audit.check()
    finally:
        context.close()


@pytest.fixture
def second_page(browser, live_server, request):
    """Another person at another desk: their own browser context and cookies (a journey
    where two people hand work to each other)."""
    contexts = []

    def open_as(username):
        context = desk_context(browser, live_server.url, locale="en-US")
        context.set_default_timeout(15_000)
        page = context.new_page()
        audit.attach(page, f"{request.node.name}_{username}")
        contexts.append(context)
        return login(page, username)

    yield open_as
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item, so that fixtures can see whether the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def staff(transactional_db, settings):
    """The demo users, one per role (usernames as in config.demo.DEMO_STAFF)."""
    from config.demo import build_staff

    # The real hasher costs about half a second a password, seven users a test, and a
    # login each; a test database needs no strong hashes. The live server runs in this
    # process, so it sees the same setting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_fee_catalogue()
    return build_staff()
