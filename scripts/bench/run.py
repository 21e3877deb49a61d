"""One size in its own process (Django is set up once per process, on that size's database):
build what the parts need and is not there yet, time the parts' pages and files, and write
the lines as JSON for the comparison."""

import json
import os
import time
from datetime import date

# What each part needs built, in the order of building (deposits take money on receipts
# numbered after the years of takings).
STEPS = ["register", "receipts", "charges", "statement", "deposits", "cases", "archives"]
STEPS += ["attendance"]
NEEDS = {
    "fees": ["register", "receipts", "charges", "statement"],
    "deposits": ["register", "receipts", "deposits"],
    "complaints": ["register", "cases"],
    "archives": ["register", "archives"],
    "attendance": ["register", "attendance"],
}


def setup_django() -> None:
    """On the DATABASE_URL and DJANGO_VAR_DIR the caller set for this size."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()


# --- what was built: a table of the benchmark's own, beside the app's -------------------------


def _built() -> dict[str, tuple[dict, date]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_built"
            " (step varchar(20) PRIMARY KEY, size text NOT NULL, built_on date NOT NULL)"
        )
        cursor.execute("SELECT step, size, built_on FROM bench_built")
        return {
            step: (json.loads(size), date.fromisoformat(str(built_on)))
            for step, size, built_on in cursor.fetchall()
        }


def _record(step: str, size: dict, today: date) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_built (step, size, built_on) VALUES (%s, %s, %s)",
            [step, json.dumps(size), today.isoformat()],
        )


def _build(step: str, size: dict, today: date) -> None:
    from bench import data

    if step == "register":
        data.build_register(size["units"])
    elif step == "receipts":
        data.build_receipts(receipts=size["receipts"], busy_day=size["busy_day"], today=today)
    elif step == "charges":
        from fees.demo import build_charges

        build_charges(today=today, count=size["charges"])
        print(f"built {size['charges']} charges")
    elif step == "statement":
        data.build_statement_month(month_receipts=size["month_receipts"], today=today)
    elif step == "deposits":
        data.build_deposits(
            applications=size["applications"], deposits=size["deposits"], today=today
        )
    elif step == "cases":
        data.build_cases(cases=size["cases"], today=today)
    elif step == "archives":
        if size["files"] > size["units"]:
            raise SystemExit("the archives' files need as many units (files ≤ units)")
        data.build_archives(
            files=size["files"],
            per_file=size["documents_per_file"],
            log_rows=size["access_log"],
            today=today,
        )
    elif step == "attendance":
        data.build_attendance(staff=size["staff"], years=size["years"], today=today)


def build(parts: list[str], size: dict) -> date:
    """Build the steps the parts need that the database lacks; the day they were built on
    (the busy day) is the day the pages show."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    built = _built()
    # Every step is built as of the register's day, so that a step added to a kept database
    # later meets the same busy day and months.
    today = built["register"][1] if "register" in built else timezone.localdate()
    if today != timezone.localdate():
        print(f"the kept data is of {today}: its pages show that day as the busy day")
    wanted = {step for part in parts for step in NEEDS[part]}
    made = False
    for step in (step for step in STEPS if step in wanted):
        if step in built:
            kept, on = built[step]
            if kept != size:
                print(f"reusing {step} built at other sizes: {kept}")
            continue
        started = time.perf_counter()
        _build(step, size, today)
        print(f"  {step}: {time.perf_counter() - started:.1f} s", flush=True)
        _record(step, size, today)
        made = True
    if made and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as a bulk import does: the planner sees the new rows
    return today


def measure(parts: list[str], size: dict, day: date, repeat: int) -> dict:
    from bench.data import statement_month
    from bench.pages import part_pages
    from bench.timing import Pages, pack_against_plain_pages, statement_against_openpyxl

    pages, lines, files = Pages(), [], []
    for part in parts:
        lines += pages.measure(part, part_pages(part, day), repeat)
        if part == "fees":
            lines.append(pages.issuing(repeat))
            first, end = statement_month(day)
            files.append(statement_against_openpyxl(first, size["month_receipts"], repeat))
            files += pack_against_plain_pages(first, end, size["pack_receipts"], repeat)
    return {"pages": lines, "files": files}


def run(name: str, size: dict, parts: list[str], repeat: int, result: str) -> None:
    setup_django()
    from django.db import connection

    print(f"\n=== {name}: {connection.vendor} {connection.settings_dict['NAME']} ===", flush=True)
    day = build(parts, size)
    measured = measure(parts, size, day, repeat)
    with open(result, "w") as out:
        json.dump({"size": name, "vendor": connection.vendor, **measured}, out)
