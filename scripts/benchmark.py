"""Benchmark: build a large street in a scratch database and time the real pages.

    .venv/bin/python scripts/benchmark.py [--units 10000] [--repeat 15]

Uses its own SQLite file in a temporary folder (or the database of DATABASE_URL, which it
fills: point it at a scratch database). Each page goes through the whole URL stack, logged
in as the manager, with Django's test client; it prints the median and worst time of
`--repeat` requests and the number of SQL queries of one request. Not a test: it asserts
nothing, it reports.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(scratch: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_VAR_DIR"] = str(scratch)
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()


def build(units: int, receipts: int, busy_day: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from archives.demo import build_register
    from config.demo import build_staff
    from fees.demo import build_takings

    call_command("migrate", verbosity=0)
    build_staff()
    started = time.perf_counter()
    build_register(units=units, tenants=units, contractors=units // 20)
    print(f"built {units} units and tenants in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    days = 3 * 365
    made = build_takings(
        days=days,
        per_day=max(1, (receipts - busy_day) // days),
        today=timezone.localdate(),
        busy_today=busy_day,
    )
    print(
        f"built {made} receipts over {days} days ({busy_day} today)"
        f" in {time.perf_counter() - started:.1f} s"
    )


def pages() -> list[tuple[str, str]]:
    from archives.models import Contractor, Occupancy, Tenant, Unit

    unit = Unit.objects.order_by("code")[Unit.objects.count() // 2]
    tenant = Tenant.objects.order_by("pk")[Tenant.objects.count() // 2]
    occupancy = Occupancy.objects.order_by("pk").first()
    contractor = Contractor.objects.order_by("pk").first()
    last_units_page = (Unit.objects.count() + 49) // 50
    from django.utils import timezone

    from fees.models import Receipt

    today = timezone.localdate().isoformat()
    receipt = Receipt.objects.order_by("pk")[Receipt.objects.count() // 2]
    return [
        ("receipt list (all years)", "/fees/receipts/"),
        ("receipt list, one month", f"/fees/receipts/?date_from={today[:8]}01&date_to={today}"),
        ("receipt list, payer filter", "/fees/receipts/?payer=A-1-0"),
        ("receipt list, page 2000", "/fees/receipts/?page=2000"),
        ("receipt detail", f"/fees/receipts/{receipt.pk}/"),
        (
            "receipt chain, this month",
            f"/fees/finance/chain/?date_from={today[:8]}01&date_to={today}",
        ),
        ("access log", "/archives/access-log/"),
        ("rights record", "/rights/"),
        ("daily close of the busy day", f"/fees/days/{today}/"),
        ("home (manager)", "/"),
        ("unit list", "/archives/units/"),
        ("unit list, sorted by tenant", "/archives/units/?sort=current_tenant"),
        ("unit list, last page", f"/archives/units/?page={last_units_page}"),
        ("unit list, filtered by status", "/archives/units/?status=vacant"),
        ("tenant list", "/archives/tenants/"),
        ("tenant list, due for verification", "/archives/tenants/?verification=due"),
        ("tenant list, name filter", f"/archives/tenants/?q={tenant.name[:2]}"),
        ("occupancy list", "/archives/occupancies/?current=yes"),
        ("contractor list", "/archives/contractors/"),
        ("search by unit code", f"/search/?q={unit.code}"),
        ("search by tenant name", f"/search/?q={tenant.name[:3]}"),
        ("search by phone", f"/search/?q={tenant.phone[-6:]}"),
        ("unit detail", f"/archives/units/{unit.pk}/"),
        ("tenant detail", f"/archives/tenants/{tenant.pk}/"),
        ("occupancy detail", f"/archives/occupancies/{occupancy.pk}/"),
        ("contractor detail", f"/archives/contractors/{contractor.pk}/"),
    ]


def measure(repeat: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Keep one connection across requests, so the query log of a request survives it.
    request_finished.disconnect(close_old_connections)
    print(f"\n{'page':<36}{'median ms':>10}{'max ms':>9}{'queries':>9}")
    clients = {}
    for username in ("manager", "assistant"):
        clients[username] = Client(HTTP_HOST="localhost")
        clients[username].force_login(get_user_model().objects.get(username=username))
    for label, url, username in [(*page, "manager") for page in pages()] + desk_pages():
        client = clients[username]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        query_count = len(queries.captured_queries)  # before later requests reset the log
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{label:<36}{statistics.median(times):>10.1f}{max(times):>9.1f}{query_count:>9}")


def measure_issuing(repeat: int) -> None:
    """POST the receipt form through the whole stack: numbering, lines, history, redirect."""
    import uuid

    from django.contrib.auth import get_user_model
    from django.test import Client

    from fees.models import FeeType

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="assistant"))
    permit, card = FeeType.objects.get(code="permit_fee"), FeeType.objects.get(code="card_fee")
    times = []
    for _ in range(repeat):
        data = {
            "request_key": str(uuid.uuid4()),
            "payer_kind": "person",
            "payer_name": "王师傅",
            "method": "cash",
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "8",
            "lines-0-fee_type": permit.pk,
            "lines-0-quantity": "2",
            "lines-0-unit_price": "20",
            "lines-1-fee_type": card.pk,
            "lines-1-quantity": "2",
            "lines-1-unit_price": "10",
        }
        started = time.perf_counter()
        response = client.post("/fees/receipts/new/", data)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"issuing answered {response.status_code}")
    print(f"{'issue a receipt (POST)':<36}{statistics.median(times):>10.1f}{max(times):>9.1f}")


def measure_statement(month_receipts: int) -> None:
    """A month of `month_receipts` receipts, four years back (outside the main data), and
    the time to build its statement as Excel and as PDF."""
    from datetime import date

    from django.utils import timezone

    from fees.demo import build_takings
    from fees.exporters.statements import statement_pdf, statement_xlsx

    today = timezone.localdate()
    first = date(today.year - 4, today.month, 1)
    month_end = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    days = (month_end - first).days
    started = time.perf_counter()
    made = build_takings(days=days, per_day=month_receipts // days, today=month_end, history=False)
    print(
        f"\nbuilt a month of {made} receipts ({first:%Y-%m})"
        f" in {time.perf_counter() - started:.1f} s"
    )
    for label, build in (
        ("monthly statement, Excel", statement_xlsx),
        ("monthly statement, PDF", statement_pdf),
    ):
        started = time.perf_counter()
        size = len(build(first.year, first.month))
        print(f"{label:<36}{(time.perf_counter() - started) * 1000:>10.0f} ms  {size / 1e6:.1f} MB")


def desk_pages() -> list[tuple[str, str, str]]:
    """Pages as the desk sees them before it counted today: the blind count withholds the
    day from every figure (fees.selectors.days), which must not cost a page its speed."""
    from django.utils import timezone

    today = timezone.localdate()
    return [
        ("home (assistant, blind)", "/", "assistant"),
        ("month page (assistant, blind)", f"/fees/finance/{today:%Y/%m}/", "assistant"),
        ("finance index (assistant, blind)", "/fees/finance/", "assistant"),
        ("daily close (assistant, blind)", f"/fees/days/{today.isoformat()}/", "assistant"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--receipts", type=int, default=200_000)
    parser.add_argument("--busy-day", type=int, default=1_000)
    parser.add_argument("--month-receipts", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        setup_django(Path(scratch))
        from django.db import connection

        print(f"database: {connection.vendor}")
        build(args.units, args.receipts, args.busy_day)
        measure(args.repeat)
        measure_issuing(args.repeat)
        measure_statement(args.month_receipts)


if __name__ == "__main__":
    main()
