"""One size in a process of its own (Django is set up once per process, on that size's
database): it builds what the parts need and the database lacks, then times the pages and
files the parent asks for, one at a time, so that the parent can take the two sizes in turns
and a machine busy with other work weighs on both alike."""

import io
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
            changed = {key: kept.get(key) for key in size if kept.get(key) != size[key]}
            if changed:
                print(f"reusing {step}, built with other sizes: {changed}")
            continue
        started = time.perf_counter()
        _build(step, size, today)
        print(f"  {step}: {time.perf_counter() - started:.1f} s", flush=True)
        _record(step, size, today)
        made = True
    if made:
        # The builders write receipts in bulk, some onto days already submitted (deposits'
        # payments): the closed days' stored totals are written again from the receipts.
        call_command("check_day_totals", rewrite=True, stdout=io.StringIO())
    if made and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum does on a live server after a bulk import: the planner sees the
            # new rows, and the visibility map lets an index alone answer (an index-only scan)
            # where a fresh bulk load would make every match read its table page.
            cursor.execute("VACUUM ANALYZE")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Time a checkpointed file, whatever the build (or an earlier run's receipts and
            # originals) left in the write-ahead log: a kept large street's had 229 MB.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return today


# --- the size's process, serving the parent's requests -----------------------------------------


class _Prefixed:
    """The process's output with the size's name at each line's start: two sizes build at
    once and print into the same terminal."""

    def __init__(self, raw, prefix: str):
        self.raw, self.prefix, self.at_start = raw, prefix, True

    def write(self, text: str) -> int:
        for piece in text.splitlines(keepends=True):
            if self.at_start:
                self.raw.write(self.prefix)
            self.raw.write(piece)
            self.at_start = piece.endswith("\n")
        self.raw.flush()
        return len(text)

    def flush(self) -> None:
        self.raw.flush()


def serve(conn, name: str, env: dict, size: dict, parts: list[str]) -> None:
    """A size's process: set Django up on its database, build, say so, then answer the
    parent's requests one by one until it sends None."""
    import sys

    sys.stdout = _Prefixed(sys.stdout, f"[{name}] ")
    os.environ.update(env)
    setup_django()
    from bench.data import statement_month
    from bench.pages import part_pages
    from bench.timing import Pages, pack_against_plain_pages, statement_against_openpyxl
    from django.db import connection

    print(f"{connection.vendor} {connection.settings_dict['NAME']}")
    day = build(parts, size)
    pages = Pages()
    first, end = statement_month(day)
    requests = {
        "pages": lambda part: part_pages(part, day),
        "measure": pages.measure,
        "issuing": pages.issuing,
        "files": lambda repeat: [
            statement_against_openpyxl(first, size["month_receipts"], repeat),
            *pack_against_plain_pages(first, end, size["pack_receipts"], repeat),
        ],
    }
    conn.send({"vendor": connection.vendor, "day": day.isoformat()})
    while (request := conn.recv()) is not None:
        kind, *arguments = request
        conn.send(requests[kind](*arguments))


class SizeProcess:
    """The parent's handle on a size's process (spawned: Django is set up once per process,
    on that size's database), which builds as soon as it starts."""

    def __init__(self, name: str, database, size: dict, parts: list[str]):
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.name = name
        self.conn, child = context.Pipe()
        env = {"DATABASE_URL": database.url, "DJANGO_VAR_DIR": str(database.folder)}
        # The builders are bulk loads, as a long migration is: a transaction that pauses in
        # Python on a busy machine must not be ended by the server (README, Configuration).
        env |= {"DB_STATEMENT_TIMEOUT": "0", "DB_IDLE_IN_TRANSACTION_TIMEOUT": "0"}
        self.process = context.Process(
            target=serve, args=(child, name, env, size, parts), name=f"bench-{name}"
        )
        self.process.start()
        child.close()

    def _answer(self):
        try:
            return self.conn.recv()
        except EOFError:
            raise SystemExit(f"the {self.name} size's process failed (see above)") from None

    def ready(self) -> dict:
        """Once built: its database's vendor and the day its pages show."""
        return self._answer()

    def ask(self, *request):
        self.conn.send(request)
        return self._answer()

    def stop(self) -> None:
        if self.process.is_alive():
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
