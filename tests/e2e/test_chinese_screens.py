"""No English on the Chinese screens: each role opens every page its menus and pages lead
to, as the desk's browser shows it, and no English word is left in the text, the
labels read aloud (aria-label, title, placeholder, alt) or the choices; the history, the
pagination, the error pages and the administrator's user and role pages included."""

import re
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urljoin, urlparse

import pytest
from django.utils import timezone
from simple_history.models import HistoricalRecords

from archives.demo import build_register
from fees.demo import build_charges, build_permits, build_takings
from fees.enums import PaymentMethod
from fees.models import DailyClose
from fees.selectors.days import day_get
from fees.services.days import day_record_count, day_submit
from tests.e2e.audit import login, visit

pytestmark = pytest.mark.e2e

# A run of Latin letters with a lower-case one: English prose. Codes in capitals (unit and
# credit codes, PDF, JPEG) are not words a reader needs translated.
ENGLISH_WORD = re.compile(r"\b[A-Za-z]*[a-z][A-Za-z]*\b")
# Addresses are data, not interface.
NOT_PROSE = re.compile(r"\S+@\S+|https?://\S+|/[\w/.-]*")
ALLOWED = {
    "English",  # the language switch names each language in itself
    "Excel",  # a product's name
    "kWh",  # the meter's unit, written so on Chinese meters too
    "Ctrl",  # keys are named as their caps read
    "Enter",
}
# Django's admin writes these itself in every language (its boolean icons' and search
# icon's alt text); they cannot be translated without copying Django's templates.
ADMIN_ALLOWED = ALLOWED | {"True", "False", "Search"}
# Downloads and actions, not pages to read.
SKIP = re.compile(
    r"logout|\.pdf|\.xlsx|/xlsx/|/pdf/|/card/|/cards/|/slip/|/photo/|/download/|/progress/"
    r"|/i18n/|^/admin/|^/r/"
)
MAX_PAGES = 60

TEXT_OF_PAGE = """() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  for (const option of document.querySelectorAll('option')) parts.push(option.textContent);
  return parts.join('\\n');
}"""


def english_words(page, allowed=frozenset(ALLOWED)) -> list[str]:
    text = NOT_PROSE.sub(" ", page.evaluate(TEXT_OF_PAGE))
    return sorted({word for word in ENGLISH_WORD.findall(text) if word not in allowed})


def links(page) -> list[str]:
    base = page.url
    found = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        url = urlparse(urljoin(base, href))
        if url.netloc == urlparse(base).netloc and not SKIP.search(url.path):
            found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def shape(path: str) -> str:
    """Pages alike but for a number (a receipt, a page of a list) are read once."""
    path, _sep, query = path.partition("?")
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + "?" + ",".join(k for k in keys if k not in {"sort", "page"})


def read_every_page(page, start: str = "/") -> dict[str, list[str]]:
    """{path: English words} of each kind of page reachable from ``start``."""
    queue, seen, english = [start], set(), {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if shape(path) in seen:
            continue
        seen.add(shape(path))
        response = page.goto(path)
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        words = english_words(page)
        if words:
            english[path] = words
        queue += links(page)
    return english


@pytest.fixture
def desk_with_a_counted_day(transactional_db, staff):
    today = timezone.localdate()
    build_register(units=30, tenants=32, contractors=4, seed=7)
    build_takings(days=35, per_day=6, today=today, busy_today=4, seed=7)
    build_charges(today=today, count=8, seed=7)
    build_permits(today=today, batches=2, seed=7)
    # Counted and submitted by the assistant, recorded in the history as the desk's own
    # requests record it (simple-history takes the user from the request).
    HistoricalRecords.context.request = SimpleNamespace(user=staff["assistant"])
    try:
        day = day_record_count(
            day=day_get(today),
            by=staff["assistant"],
            cash_count={Decimal("100"): 3, Decimal("50"): 1, Decimal("0.5"): 2},
            non_cash={"wechat": Decimal("20.00")},
        )
        day_submit(
            day=day,
            by=staff["assistant"],
            explanations={method: "点钞差异" for method in PaymentMethod.values},
        )
    finally:
        del HistoricalRecords.context.request
    return today


@pytest.mark.parametrize("role", ["assistant", "manager", "finance", "auditor", "engineering"])
def test_every_page_of_a_role_is_chinese(page, desk_with_a_counted_day, role):
    login(page, role)
    assert read_every_page(page) == {}


def test_history_pagination_and_names_read_chinese(page, desk_with_a_counted_day):
    login(page, "manager")
    visit(page, f"/fees/days/{desk_with_a_counted_day.isoformat()}/")
    history = page.locator("section[aria-labelledby=history-title]").inner_text()
    assert "实点（现金）：— → ¥351.00" in history
    assert "清点人：— → 李晓敏" in history
    assert "说明（现金）：— → 点钞差异" in history
    assert DailyClose.objects.count() >= 1

    visit(page, "/fees/receipts/")
    pages = page.locator("nav[aria-label='分页']")
    assert re.fullmatch(r"第 1 页，共 \d+ 页", pages.locator("span.small").inner_text())
    assert pages.locator("a", has_text="下一页").count() == 1
    cashiers = page.locator("#id_cashier option").all_inner_texts()
    assert cashiers == ["---------", "周婷", "李晓敏"]


def test_error_pages_are_chinese_with_a_way_home(page, desk_with_a_counted_day):
    login(page, "engineering")
    for path, heading in [("/fees/receipts/", "无权访问"), ("/no-such-page/", "页面不存在")]:
        visit(page, path)
        assert page.locator("h1").inner_text() == heading
        assert english_words(page) == []
        page.get_by_role("link", name="返回首页").click()
        assert urlparse(page.url).path == "/"


def test_admin_users_and_roles_are_chinese(page, desk_with_a_counted_day):
    login(page, "admin")
    # Django's admin is read, not audited: its own markup is Django's (its chooser's
    # aria-label on a span, its breadcrumbs' contrast), not the desk's.
    page.goto("/admin/")
    assert english_words(page, ADMIN_ALLOWED) == []
    for listing in ("/admin/auth/user/", "/admin/auth/group/"):
        page.goto(listing)
        # Group names are data kept in code's words; every other word is Chinese.
        words = english_words(page, ADMIN_ALLOWED | set(GROUP_NAMES) | set(USERNAMES))
        assert words == [], listing
    # The administrator is no superuser: a role's permissions are read, not changed.
    page.get_by_role("link", name="assistant").first.click()
    page.wait_for_load_state()
    labels = page.locator(".field-role_permissions .readonly").inner_text().split("\n")
    assert "收费 | 可开具收据" in labels
    assert [label for label in labels if re.search("Can |historical", label)] == []
    visit(page, "/")


GROUP_NAMES = ["assistant", "manager", "finance", "auditor", "department", "administrator"]
USERNAMES = ["admin", "assistant", "assistant2", "manager", "finance", "auditor", "engineering"]
