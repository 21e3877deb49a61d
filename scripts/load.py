#!/usr/bin/env python3
"""The desk's day at N concurrent users against a running stack (`make stack`), over HTTP.

Each virtual user logs in through the login form (CSRF token and all) as a demo user, then
loops until the time is up. Two users in three are desks (the demo's assistants): search the
register, the receipt list, the receipt form, issue a receipt (a named person paying a fee of
the catalogue in cash), its page, print its PDF, the day's close page, the finance month page.
The third is the back office (the manager, finance): search, the receipt list, the day list,
the finance month page and (finance) its PDF statement.

It prints, per request type, the count, errors, median and 95th percentile, and each 95th
percentile against the login page's (a page that does next to nothing, asked once a round by
every user: the ratio is how much a page costs beyond the stack's own floor under the same
load). Exit 1 on any error.

Plain standard library (http.client, threads): the load is small enough that a load-testing
framework would add more than it measures. Cookies are kept by hand: the stack's cookies are
Secure (production settings) and the stack is plain HTTP on loopback.

    .venv/bin/python scripts/load.py --users 30 --duration 180
"""

import argparse
import http.client
import json
import random
import re
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

PASSWORD = "demo-2026"
CENTRE_ZONE = ZoneInfo("Asia/Shanghai")  # config.settings.TIME_ZONE
DESKS = ("assistant", "assistant2")
BACK_OFFICE = ("manager", "finance")
NUMBER = re.compile(r"\b(\d{4}-\d{6})\b")
SUCCESS = re.compile(r'<div class="alert alert-success[^"]*"[^>]*>(.*?)</div>', re.S)
RECEIPT_PATH = re.compile(r"^/fees/receipts/(\d+)/$")
OPTION = re.compile(r'<option value="(\d+)"')


class Failed(Exception):
    """A request that answered, but not as the desk expects, or not at all (counted as an
    error). ``logged_out``: the answer sent the user to the login page."""

    def __init__(self, reason: str, logged_out: bool = False):
        super().__init__(reason)
        self.logged_out = logged_out


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Stats:
    """Times and errors per request type, shared by every virtual user."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reasons: list[str] = field(default_factory=list)
    # When each failed request began and ended (time.monotonic()) and what it was, for
    # faults.py: a request under way when a fault struck is that fault's, however long after.
    error_times: list[tuple[float, float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[name].append(seconds)
            if error:
                self.errors[name] += 1
                ended = time.monotonic()
                self.error_times.append((ended - seconds, ended, error))
                self.reasons.append(f"{time.strftime('%H:%M:%S')} {name}: {error}")

    def total_errors(self) -> int:
        return sum(self.errors.values())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Browser:
    """One user's connection and cookies: http.client with keep-alive, like a browser tab."""

    def __init__(self, base_url: str, stats: Stats, timeout: float):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.stats, self.timeout = stats, timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> Answer:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Host": f"{self.host}:{self.port}", **headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            answer = Answer(response.status, dict(response.getheaders()), response.read())
        except Exception:
            self.connection.close()
            self.connection = None
            raise
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return answer

    def call(self, name: str, method: str, path: str, data: dict | None = None, expect=(200,)):
        """One timed request; an answer outside ``expect`` or no answer is an error."""
        body, headers = None, {}
        if data is not None:
            body = urlencode(data).encode()
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,  # as a browser sends with a form
                "Referer": self.origin + path,
            }
        started = time.perf_counter()
        try:
            answer = self._send(method, path, body, headers)
        except Exception as exc:  # no answer at all: a reset, a timeout, a refused connection
            self.stats.record(name, time.perf_counter() - started, f"{type(exc).__name__} {exc}")
            raise Failed(name) from exc
        seconds = time.perf_counter() - started
        error = None if answer.status in expect else f"HTTP {answer.status} on {method} {path}"
        self.stats.record(name, seconds, error)
        if error:
            location = urlsplit(answer.headers.get("Location", "")).path
            raise Failed(error, logged_out=location == "/accounts/login/")
        return answer

    def get(self, name: str, path: str, expect=(200,)) -> Answer:
        return self.call(name, "GET", path, expect=expect)

    def post(self, name: str, path: str, data: dict, expect=(302,)) -> Answer:
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self.call(name, "POST", path, data, expect=expect)

    def login(self, username: str) -> None:
        self.cookies.clear()
        self.get("login page", "/accounts/login/")
        answer = self.post(
            "log in", "/accounts/login/", {"username": username, "password": PASSWORD}
        )
        if urlsplit(answer.headers.get("Location", "")).path != "/":
            self.stats.record("log in", 0, f"login of {username} refused")
            raise Failed("login refused")
        self.get("home", "/")


@dataclass
class Shown:
    """The receipt numbers the desks were shown in a success answer, and who was shown them."""

    numbers: list[tuple[str, int, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, number: str, pk: int, username: str) -> None:
        with self.lock:
            self.numbers.append((number, pk, username))


class VirtualUser:
    def __init__(self, index: int, options, stats: Stats, shown: Shown, fee: tuple[str, str]):
        self.desk = index % 3 != 2
        names = DESKS if self.desk else BACK_OFFICE
        self.username = names[index % len(names)]
        self.browser = Browser(options.url, stats, options.timeout)
        self.anonymous = Browser(options.url, stats, options.timeout)
        self.options, self.shown, self.fee = options, shown, fee
        self.rng = random.Random(index)
        today = datetime.now(CENTRE_ZONE).date()  # the centre's month, not the machine's
        self.month_path = f"/fees/finance/{today.year}/{today.month}/"

    def think(self) -> None:
        if self.options.think:
            time.sleep(self.rng.uniform(0, 2 * self.options.think))

    def run(self, stop: threading.Event) -> None:
        logged_in = False
        while not stop.is_set():
            try:
                if not logged_in:
                    self.browser.login(self.username)
                    logged_in = True
                    self.think()
                for step in self.desk_steps() if self.desk else self.back_office_steps():
                    if stop.is_set():
                        return
                    step()
                    self.think()
            except Failed as failure:
                # A desk that met an error page waits a moment and goes on with its next
                # task; it logs in again only when it was sent to the login page.
                logged_in = logged_in and not failure.logged_out
                time.sleep(1)

    def floor(self) -> None:
        # The login page once a round, as a visitor not logged in sees it: the stack's floor
        # under this load (a logged-in user is sent on to the home page).
        self.anonymous.cookies.clear()
        self.anonymous.get("login page", "/accounts/login/")

    def desk_steps(self):
        return [
            self.floor,
            self.search,
            self.receipt_list,
            self.issue,
            self.close_page,
            self.month_page,
        ]

    def back_office_steps(self):
        steps = [
            self.floor,
            self.search,
            self.receipt_list,
            lambda: self.browser.get("day list", "/fees/days/"),
            self.month_page,
        ]
        if self.username == "finance":  # statements are finance's and the auditor's
            statement = self.month_path + "statement.pdf"
            steps.append(lambda: self.browser.get("month statement PDF", statement))
        return steps

    def search(self) -> None:
        query = self.rng.choice(["A-1", "B-2", "C-", "张", "王", "李", "138"])
        self.browser.get("search", "/search/?" + urlencode({"q": query}))

    def receipt_list(self) -> None:
        self.browser.get("receipt list", "/fees/receipts/")

    def close_page(self) -> None:
        answer = self.browser.get("daily close", "/fees/days/today/", expect=(302,))
        self.browser.get("daily close", urlsplit(answer.headers["Location"]).path)

    def month_page(self) -> None:
        self.browser.get("finance month", self.month_path)

    def issue(self) -> None:
        form = self.browser.get("receipt form", "/fees/receipts/new/").text
        key = re.search(r'name="request_key" value="([0-9a-f-]+)"', form)
        fee_id, price = self.fee
        answer = self.browser.post(
            "issue receipt",
            "/fees/receipts/new/",
            receipt_form(key.group(1) if key else str(uuid.uuid4()), fee_id, price, self.rng),
        )
        location = urlsplit(answer.headers.get("Location", "")).path
        found = RECEIPT_PATH.match(location)
        if not found:
            self.browser.stats.record("issue receipt", 0, f"no receipt page but {location!r}")
            raise Failed("issue")
        page = self.browser.get("receipt page", location).text
        message = SUCCESS.search(page)
        number = NUMBER.search(message.group(1)) if message else None
        if number is None:
            self.browser.stats.record("receipt page", 0, "no success message with the number")
            raise Failed("issue")
        pk = int(found.group(1))
        self.shown.add(number.group(1), pk, self.username)
        self.think()
        pdf = self.browser.post("receipt PDF", f"/fees/receipts/{pk}/print/", {}, expect=(200,))
        if not pdf.body.startswith(b"%PDF"):
            self.browser.stats.record("receipt PDF", 0, "the answer is not a PDF")
            raise Failed("pdf")


def receipt_form(key: str, fee_id: str, price: str, rng: random.Random) -> dict:
    """What the receipt form posts for a named person paying one fee in cash."""
    return {
        "request_key": key,
        "payer_kind": "person",
        "payer_name": rng.choice(["张伟", "王芳", "李娜", "刘洋", "陈静"]),
        "unit_code": "",
        "method": "cash",
        "reference": "",
        "note": "load test",
        "approver_username": "",
        "approver_password": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "8",
        "lines-0-fee_type": fee_id,
        "lines-0-description": "",
        "lines-0-quantity": "1",
        "lines-0-unit_price": price,
        "lines-0-discount": "",
        "lines-0-discount_reason": "",
        "lines-0-charge": "",
    }


def choose_fee(options) -> tuple[str, str]:
    """A fee of the catalogue that a named person may pay at its default price, found as the
    desk's confirmation finds it (the preview answers ok or says what is wrong)."""
    stats = Stats()
    browser = Browser(options.url, stats, options.timeout)
    browser.login(DESKS[0])
    form = browser.get("receipt form", "/fees/receipts/new/").text
    defaults = re.search(r'id="fee-defaults"[^>]*>(.*?)</script>', form, re.S)
    prices = json.loads(defaults.group(1)) if defaults else {}
    select = re.search(r'name="lines-0-fee_type".*?</select>', form, re.S)
    for fee_id in OPTION.findall(select.group(0) if select else ""):
        price = prices.get(fee_id) or "10.00"
        data = receipt_form(str(uuid.uuid4()), fee_id, price, random.Random(0))
        check = browser.post("check", "/fees/receipts/new/check/", data, expect=(200,))
        if b'"ok": true' in check.body:
            return fee_id, price
    sys.exit("No fee of the catalogue can be issued to a named person: see the receipt form.")


def report(stats: Stats, seconds: float, out=sys.stdout) -> None:
    floor = percentile(stats.times["login page"], 0.95) if stats.times["login page"] else None
    print(f"\n{'request':<22}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p95/login':>11}")
    for name, times in sorted(stats.times.items(), key=lambda item: -len(item[1])):
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        ratio = f"{p95 / floor:.1f}" if floor else "-"
        print(
            f"{name:<22}{len(times):>7}{stats.errors[name]:>8}"
            f"{p50 * 1000:>9.0f}{p95 * 1000:>9.0f}{ratio:>11}",
            file=out,
        )
    count = sum(len(t) for t in stats.times.values())
    print(
        f"\n{count} requests in {seconds:.0f} s ({count / seconds:.1f}/s), "
        f"{stats.total_errors()} errors",
        file=out,
    )
    for reason in stats.reasons[:20]:
        print("  " + reason, file=out)
    if len(stats.reasons) > 20:
        print(f"  ... and {len(stats.reasons) - 20} more", file=out)


def run_load(options, stats: Stats, shown: Shown, stop: threading.Event | None = None) -> float:
    """Run the virtual users until the duration is over (or ``stop`` is set, when given);
    the seconds it took."""
    fee = choose_fee(options)
    started = time.monotonic()
    if stop is None:
        stop = threading.Event()
        threading.Timer(options.duration, stop.set).start()
    users = [VirtualUser(i, options, stats, shown, fee) for i in range(options.users)]
    threads = [threading.Thread(target=u.run, args=(stop,), daemon=True) for u in users]
    for thread in threads:
        thread.start()
        stop.wait(options.ramp / len(threads))
    stop.wait()
    for thread in threads:
        thread.join(options.timeout + 30)
    return time.monotonic() - started


def arguments(description: str = __doc__):
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="the stack (nginx)")
    parser.add_argument("--users", type=int, default=30, help="concurrent users (%(default)s)")
    parser.add_argument("--duration", type=float, default=180, help="seconds of load (%(default)s)")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds between a user's requests (1.0)"
    )
    parser.add_argument("--ramp", type=float, default=10, help="seconds to start every user")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a request fails")
    return parser


def main() -> int:
    options = arguments().parse_args()
    stats, shown = Stats(), Shown()
    print(
        f"{options.users} users for {options.duration:.0f} s against {options.url} "
        f"(think time {options.think} s on average)"
    )
    seconds = run_load(options, stats, shown)
    report(stats, seconds)
    print(f"{len(shown.numbers)} receipts issued and shown to the desks.")
    return 1 if stats.total_errors() else 0


if __name__ == "__main__":
    sys.exit(main())
