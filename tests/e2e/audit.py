"""Helpers the browser tests navigate with, so that no page escapes the checks.

Every page reached through ``visit``, ``submit``, ``navigate`` or ``login`` is
screenshotted (full page, under ``test-output/screenshots/``) and audited with axe-core.
A test fails on any axe violation of impact "serious" or "critical", on a JavaScript
error, on anything the Content-Security-Policy refused (an inline script, style or
handler left in a template), and on a static file that did not load (a missing
stylesheet would make the contrast checks meaningless). The page fixture audits the
final page at teardown too, in case a test's last step navigated some other way.
"""

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Locator, Page

from config.demo import DEMO_PASSWORD

SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-output" / "screenshots"
AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("critical", "serious")
# Set on a document once audited; a new navigation gives a fresh window without it.
AUDITED_FLAG = "__e2eAudited"


class PageAudit:
    """The checks of one test's page: numbered screenshots, axe, errors seen so far."""

    def __init__(self, page: Page, test_name: str):
        self.page = page
        self.name = re.sub(r"[^\w.-]+", "_", test_name).strip("_")
        self.count = 0
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        self.running_axe = False

    def _on_console(self, message) -> None:
        # Chromium reports each thing the policy blocked as a console error. Not while axe
        # runs: it copies a stylesheet that @imports another (the admin's) into a <style> of
        # its own to read it, which the policy refuses; that is the audit's doing, not the
        # page's. (Chromium delivers those reports before the evaluation returns.)
        if self.running_axe:
            return
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"blocked by the Content-Security-Policy: {message.text}")

    def _on_response(self, response) -> None:
        if "/static/" in response.url and response.status >= 400:
            self.problems.append(f"static file {response.url} answered {response.status}")

    def is_audited(self) -> bool:
        return bool(self.page.evaluate(f"() => window.{AUDITED_FLAG} === true"))

    def check(self) -> Path:
        """Screenshot and audit the page as it is now; raise AssertionError on a problem."""
        self.page.wait_for_load_state("load")
        self.count += 1
        shot = SCREENSHOT_DIR / f"{self.name}_{self.count}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        # Evaluated, not added as a <script>: the page's policy refuses inline scripts, and
        # Playwright's evaluation is the browser's own, outside the page's policy.
        self.running_axe = True
        try:
            self.page.evaluate(axe_source() + "\n;true")
            result = self.page.evaluate(
                f"async () => {{ window.{AUDITED_FLAG} = true; return await axe.run(); }}"
            )
        finally:
            self.running_axe = False
        blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
        problems, self.problems = self.problems, []
        if blocking or problems:
            raise AssertionError(describe(self.page.url, shot, blocking, problems))
        return shot


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def describe(url: str, shot: Path, violations: list[dict], problems: list[str]) -> str:
    lines = [f"{url} (screenshot {shot.relative_to(settings.BASE_DIR)}):"]
    for violation in violations:
        targets = [f"{', '.join(node['target'])}: {why(node)}" for node in violation["nodes"]]
        lines.append(
            f"  axe {violation['impact']} {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        lines += [f"      at {target}" for target in targets[:10]]
        if len(targets) > 10:
            lines.append(f"      ... and {len(targets) - 10} more")
    lines += [f"  {problem}" for problem in problems]
    return "\n".join(lines)


def why(node: dict) -> str:
    """axe's own words on what is wrong with one element (e.g. the contrast ratio found)."""
    checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
    return next((check["message"] for check in checks if check.get("message")), "")


# The audit of each live page; the page fixture registers it, the helpers find it here so
# that tests can keep Playwright's own Page object and the usual helper signatures.
_audits: "WeakKeyDictionary[Page, PageAudit]" = WeakKeyDictionary()


def desk_context(browser: Browser, base_url: str, **options) -> BrowserContext:
    """A browser context like the desk's screen. Motion reduced: Bootstrap then shows a modal
    at once instead of fading it in, so an audit never measures colours mid-fade."""
    return browser.new_context(
        base_url=base_url,
        viewport={"width": 1280, "height": 900},
        reduced_motion="reduce",
        **options,
    )


def attach(page: Page, test_name: str) -> PageAudit:
    audit = _audits[page] = PageAudit(page, test_name)
    return audit


def check(page: Page) -> Path:
    return _audits[page].check()


def visit(page: Page, path: str) -> Page:
    """Open a path of the live server (the context's base URL) and audit the page."""
    page.goto(path)
    check(page)
    return page


def navigate(page: Page, action: Callable[[], object]) -> Page:
    """Do something that loads a new page (a click, a select that submits), then audit it."""
    with page.expect_navigation():
        action()
    check(page)
    return page


SUBMIT_BUTTON = "main form[method=post] button[type=submit]"


def submit(page: Page, button: str | Locator = SUBMIT_BUTTON) -> Page:
    locator = page.locator(button) if isinstance(button, str) else button
    return navigate(page, locator.click)


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> Page:
    """Log in through the login form (a demo user from config.demo.build_staff)."""
    visit(page, "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page)
    if "/accounts/login/" in page.url:
        raise AssertionError(f"login as {username!r} failed: still on {page.url}")
    return page
