"""Benchmark: build a small and a large street, each in a scratch database, time the same pages
on both and mark each page within or over its bar.

    .venv/bin/python scripts/benchmark.py                       # every part, SQLite
    .venv/bin/python scripts/benchmark.py --part fees --repeat 5
    .venv/bin/python scripts/benchmark.py --database postgres   # bench_small, bench_large
    .venv/bin/python scripts/benchmark.py --keep                # keep both databases ...
    .venv/bin/python scripts/benchmark.py --reuse               # ... and time them again
    .venv/bin/python scripts/benchmark.py --small units=50 --large units=500,receipts=5000

The small street has 100 units and ~2,300 receipts, the large one 10,000 units and 200,000
receipts (and 250 / 5,000 decorations, 1,000 / 20,000 deposits, 1,000 / 100,000 cases, 100 /
10,000 tenant files, 0.2 / 3 years of attendance ...: see --help). What a page shows is alike at
both sizes: the busy day has 1,000 receipts at both, a unit's page is unit A-1-05's, a record's
page the tenth record's (scripts/bench/pages.py, the list to edit when a URL moves), the cases
of the statistics' month and of the weeks around it are the same, and so are the open
decorations (scripts/bench/data.py).

Each size has a process of its own (scripts/bench/run.py) on its own database: an SQLite file
in a scratch folder, or with ``--database postgres`` (the default when DATABASE_URL names a
PostgreSQL server, whose own database is left alone) the databases ``bench_small`` and
``bench_large`` created on that server and dropped afterwards. The two are built at once, then
timed page by page in turns, so that other work on the machine weighs on both alike. Building
the large street takes many minutes: ``--keep`` keeps both databases (and their uploads, under
var/bench/), ``--reuse`` times the kept ones again and builds only the parts they lack.

Each page goes through the whole URL stack with Django's test client, logged in as the desk
where the desk reads it, else as the manager; a line gives its median ms at each size, their
ratio and the SQL queries of one request at each size: "within" when the ratio is at most
1.5 and the queries are as many, else "OVER" and why; a page whose content grows with the
data by design (the ledger's Excel lists every deposit) is "info", with the reason, and held
to no bar (scripts/bench/pages.py says which). The fees part also sets the month's
Excel statement against openpyxl writing the same cells (bar 1.35) and the audit pack's ms a
receipt page against plain receipt-sized pages laid out by WeasyPrint (bar 1.5), at each size
(and the whole pack's ms a receipt, for information).
It is a report, not a test: it exits 0 whatever it finds, or 1 with ``--strict`` when a line
is over.
"""

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench.databases import DEFAULT_SERVER, Scratch  # noqa: E402

PARTS = ["fees", "deposits", "complaints", "archives", "attendance"]
# A PostgreSQL DATABASE_URL names the server of the scratch databases, never one to fill.
_URL = os.environ.get("DATABASE_URL", "")
SERVER = _URL if _URL.startswith("postgres") else ""
# A page's bar: its large median over its small one.
PAGE_BAR = 1.5


@dataclasses.dataclass
class Size:
    units: int
    receipts: int
    busy_day: int  # receipts on the day the pages show: alike at both sizes
    charges: int
    month_receipts: int  # the month of the statement and the pack
    pack_receipts: int  # receipts of the audit pack timed (the statement month's first days)
    applications: int
    deposits: int
    cases: int
    files: int
    documents_per_file: int
    access_log: int
    staff: int
    years: float  # of attendance


SIZES = {
    "small": Size(
        units=100,
        receipts=2_300,
        busy_day=1_000,
        # A list's first page is full at both sizes (50 rows): the pages show alike.
        charges=100,
        month_receipts=2_000,
        pack_receipts=500,
        # The deposit ledger's lists (refunds waiting, open gates, units) fill their first
        # page (50 rows) at both sizes.
        applications=250,
        deposits=1_000,
        cases=1_000,
        files=100,
        documents_per_file=20,
        access_log=1_000,
        staff=50,
        years=0.2,
    ),
    "large": Size(
        units=10_000,
        receipts=200_000,
        busy_day=1_000,
        charges=2_000,
        month_receipts=20_000,
        pack_receipts=500,
        applications=5_000,
        deposits=20_000,
        cases=100_000,
        files=10_000,
        documents_per_file=20,
        access_log=100_000,
        staff=50,
        years=3,
    ),
}


def sized(text: str) -> dict:
    """``units=50,receipts=1200`` as {"units": 50, "receipts": 1200}."""
    fields = {field.name: field.type for field in dataclasses.fields(Size)}
    values = {}
    for pair in filter(None, text.split(",")):
        key, _, value = pair.partition("=")
        key = key.strip().replace("-", "_")
        if key not in fields:
            raise argparse.ArgumentTypeError(f"{key}: not one of {', '.join(fields)}")
        values[key] = float(value) if fields[key] in (float, "float") else int(value)
    return values


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=[*PARTS, "all"], default="all")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests a page")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default="postgres" if SERVER else "sqlite",
    )
    parser.add_argument(
        "--server",
        default=SERVER or DEFAULT_SERVER,
        help="the PostgreSQL server of --database postgres (default: DATABASE_URL's, or "
        f"{DEFAULT_SERVER})",
    )
    parser.add_argument("--keep", action="store_true", help="keep both databases in var/bench/")
    parser.add_argument(
        "--reuse", action="store_true", help="time the kept databases again (implies --keep)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a line is over")
    for size in SIZES:
        parser.add_argument(
            f"--{size}",
            type=sized,
            default={},
            metavar="KEY=N,...",
            help=f"the {size} sizes: {dataclasses.asdict(SIZES[size])}",
        )
    # The earlier one-street options: the large street's sizes, and one part.
    old = parser.add_argument_group("the large sizes one by one (as --large KEY=N)")
    for field in dataclasses.fields(Size):
        old.add_argument(
            f"--{field.name.replace('_', '-')}", type=float, dest=f"old_{field.name}", metavar="N"
        )
    for part in PARTS:
        old.add_argument(
            f"--{part}-only", dest="part", action="store_const", const=part, help=f"--part {part}"
        )
    return parser.parse_args()


def sizes(args) -> dict[str, dict]:
    chosen = {name: {**dataclasses.asdict(size)} for name, size in SIZES.items()}
    for name in chosen:
        chosen[name].update(getattr(args, name))
    for field in dataclasses.fields(Size):
        value = getattr(args, f"old_{field.name}")
        if value is not None:
            chosen["large"][field.name] = value if field.type in (float, "float") else int(value)
    return chosen


def run_sizes(args, parts: list[str]) -> dict[str, dict]:
    """Both sizes, each in its own process and database, built at once; then each page on
    the small, then the large one, in turns. Their lines, by size."""
    from bench.run import SizeProcess

    keep = args.keep or args.reuse
    server = args.server if args.database == "postgres" else None
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        root = ROOT / "var" / "bench" / args.database if keep else Path(scratch)
        databases = {name: Scratch(name, root / name, server) for name in SIZES}
        for database in databases.values():
            if not (args.reuse and database.exists()):
                database.create()
        workers = {}
        try:
            for name, size in sizes(args).items():
                workers[name] = SizeProcess(name, databases[name], size, parts)
            results = {
                name: {**worker.ready(), "pages": [], "files": []}
                for name, worker in workers.items()
            }
            for part in parts:
                pages = {name: worker.ask("pages", part) for name, worker in workers.items()}
                for index in range(len(pages["small"])):
                    for name, worker in workers.items():
                        line = worker.ask("measure", part, pages[name][index], args.repeat)
                        results[name]["pages"].append(line)
                if part == "fees":
                    for name, worker in workers.items():
                        results[name]["pages"].append(worker.ask("issuing", args.repeat))
                    for name, worker in workers.items():
                        results[name]["files"] += worker.ask("files", args.repeat)
        finally:
            for worker in workers.values():
                worker.stop()
            if not keep:
                for database in databases.values():
                    database.drop()
    return results


# --- the report ------------------------------------------------------------------------------


def page_mark(small: dict, large: dict) -> tuple[str, float | None]:
    if "error" in small or "error" in large:
        return f"OVER (small {small.get('error', 'ok')}, large {large.get('error', 'ok')})", None
    ratio = large["median"] / max(small["median"], 0.01)
    over = [
        *(["time"] if ratio > PAGE_BAR else []),
        *(["queries"] if small["queries"] != large["queries"] else []),
    ]
    return ("OVER (" + ", ".join(over) + ")" if over else "within"), ratio


def report(results: dict[str, dict]) -> int:
    """Print the lines; the number over their bar."""
    small, large = results["small"], results["large"]
    by_key = {(line["part"], line["label"]): line for line in large["pages"]}
    print(f"\n=== {small['vendor']}: pages, small against large (bar {PAGE_BAR}×, same queries)")
    print(
        f"{'part':<11}{'page':<40}{'ms small':>9}{'ms large':>9}{'ratio':>7}"
        f"{'q small':>8}{'q large':>8}  mark"
    )
    within = over = 0
    informed = []
    for line in small["pages"]:
        other = by_key.get((line["part"], line["label"]), {"error": "not measured"})
        mark, ratio = page_mark(line, other)
        if "info" in line and ratio is not None:  # for information: no bar (if it answered)
            informed.append(f"{line['label']}: {line['info']}")
            mark = "info"
        else:
            within, over = within + (mark == "within"), over + (mark != "within")
        figures = (
            f"{line['median']:>9.1f}{other['median']:>9.1f}{ratio:>7.2f}"
            f"{line['queries']:>8}{other['queries']:>8}"
            if ratio is not None
            else " " * 41
        )
        print(f"{line['part']:<11}{line['label'][:39]:<40}{figures}  {mark}")
    for reason in informed:
        print(f"  info, not held to the bar: {reason}")
    files = [(name, line) for name in results for line in results[name]["files"]]
    if files:
        print(f"\n=== {small['vendor']}: files, against their floor")
        print(f"{'size':<7}{'file':<44}{'ms':>9}{'floor ms':>9}{'ratio':>7}{'bar':>6}  mark")
    for name, line in files:
        ratio = line["ms"] / line["floor_ms"]
        if line["bar"] is None:  # for information: no bar
            bar, mark = "", "info"
        else:
            bar, mark = f"{line['bar']:.2f}", "within" if ratio <= line["bar"] else "OVER (time)"
            within, over = within + (mark == "within"), over + (mark != "within")
        print(
            f"{name:<7}{line['label']:<44}{line['ms']:>9.2f}{line['floor_ms']:>9.2f}"
            f"{ratio:>7.2f}{bar:>6}  {mark}   ({line['detail']})"
        )
    print(f"\n{within + over} lines: {within} within, {over} over")
    return over


def main() -> None:
    args = parse_args()
    parts = PARTS if args.part == "all" else [args.part]
    over = report(run_sizes(args, parts))
    sys.exit(1 if args.strict and over else 0)


if __name__ == "__main__":
    main()
