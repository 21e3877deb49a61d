"""Timing, in the process of one size's database: the pages through the whole URL stack with
Django's test client (median and worst of ``repeat`` requests, the SQL queries of one), the
issuing of a receipt, and the files measured against a floor (the month's Excel statement
against openpyxl writing the same cells, the audit pack's receipt pages against a plain
receipt-sized page laid out by WeasyPrint)."""

import io
import statistics
import time

# A file line's bar: its time over its floor's.
STATEMENT_BAR = 1.35
PACK_BAR = 1.5
# Plain pages in the floor's one WeasyPrint document (the pack lays receipts out by 100).
FLOOR_PAGES = 100
# Runs of a file after its first (the median is its figure); the first is printed apart.
FILE_RUNS = 3


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _row(label: str, median: float, worst: float, queries: int | str) -> None:
    print(f"  {label:<40}{median:>10.1f}{worst:>9.1f}{queries:>9}", flush=True)


def counted_queries(request) -> int:
    """The SQL queries of one request: the fewer of two. The session's last-seen time is
    written at most once a minute (config.sessions), so on a slow page one of two requests
    may carry that write, which has nothing to do with the data."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            request()
        counts.append(len(queries.captured_queries))  # read before the next request resets it
    return min(counts)


class Pages:
    """The test clients, one per reader, logged in once."""

    def __init__(self):
        from django.core.signals import request_finished
        from django.db import close_old_connections

        # Keep one connection across requests, so the query log of a request survives it.
        request_finished.disconnect(close_old_connections)
        self.clients = {}

    def client(self, username: str):
        from django.contrib.auth import get_user_model
        from django.test import Client

        if username not in self.clients:
            self.clients[username] = Client(HTTP_HOST="localhost")
            self.clients[username].force_login(get_user_model().objects.get(username=username))
        return self.clients[username]

    def measure(self, part: str, page: tuple, repeat: int) -> dict:
        """One page: one request to warm it (its answer must be 200), one whose queries are
        counted, then ``repeat`` timed ones. A page with a fourth item is for information
        (its line says why)."""

        label, url, username, *why = page
        client = self.client(username)
        line = {"part": part, "label": label, "url": url, "reader": username}
        if why:
            line["info"] = why[0]
        status = client.get(url).status_code
        if status != 200:
            print(f"  {label:<40}  {url} answered {status}", flush=True)
            return {**line, "error": f"answered {status}"}
        line["queries"] = counted_queries(lambda: client.get(url))
        times = [_timed(lambda: client.get(url)) for _ in range(repeat)]
        line.update(median=statistics.median(times), worst=max(times))
        _row(label, line["median"], line["worst"], line["queries"])
        return line

    def issuing(self, repeat: int) -> dict:
        """POST the receipt form through the whole stack: numbering, lines, history,
        redirect. Each receipt joins the busy day, so this runs after its pages."""
        import uuid

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from fees.models import FeeType

        client = self.client("assistant")
        permit, card = FeeType.objects.get(code="permit_fee"), FeeType.objects.get(code="card_fee")

        def post():
            response = client.post(
                "/fees/receipts/new/",
                {
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
                },
            )
            return response.status_code

        line = {"part": "fees", "label": "issue a receipt (POST)", "reader": "assistant"}
        with CaptureQueriesContext(connection) as queries:
            status = post()
        if status != 302:
            print(f"  issuing answered {status}")
            return {**line, "error": f"answered {status}"}
        line["queries"] = len(queries.captured_queries)
        times = [_timed(post) for _ in range(repeat)]
        line.update(median=statistics.median(times), worst=max(times))
        _row(line["label"], line["median"], line["worst"], line["queries"])
        return line


def _runs(call, label: str, repeat: int) -> float:
    """The median ms of ``repeat`` runs (at most FILE_RUNS) of ``call`` after a first one,
    printed apart (it may load a font, or store what later runs find)."""
    first = _timed(call)
    times = [_timed(call) for _ in range(max(1, min(repeat, FILE_RUNS)))]
    median = statistics.median(times)
    print(f"  {label:<40}{median:>10.1f} ms (first run {first:.1f} ms)", flush=True)
    return median


def statement_against_openpyxl(first, month_receipts: int, repeat: int) -> dict:
    """The month's Excel statement (read from the database and written) against openpyxl
    writing the same cells (values and number formats) into a write-only workbook, as the
    statement does."""
    from openpyxl import Workbook, load_workbook
    from openpyxl.cell import WriteOnlyCell

    from fees.exporters.statements import statement_xlsx

    print()
    content = statement_xlsx(first.year, first.month)
    book = load_workbook(io.BytesIO(content))
    sheets = [
        (sheet.title, [[(c.value, c.number_format) for c in row] for row in sheet.iter_rows()])
        for sheet in book.worksheets
    ]
    cells = sum(len(row) for _title, rows in sheets for row in rows)

    def plain():
        wb = Workbook(write_only=True)
        for title, rows in sheets:
            ws = wb.create_sheet(title)
            for row in rows:
                written = []
                for value, number_format in row:
                    cell = WriteOnlyCell(ws, value)
                    cell.number_format = number_format
                    written.append(cell)
                ws.append(written)
        wb.save(io.BytesIO())

    return {
        "part": "fees",
        "label": "monthly statement (Excel) vs openpyxl",
        "ms": _runs(
            lambda: statement_xlsx(first.year, first.month), "monthly statement (Excel)", repeat
        ),
        "floor_ms": _runs(plain, f"openpyxl, the same {cells} cells", repeat),
        "bar": STATEMENT_BAR,
        "detail": f"{month_receipts} receipts, {cells} cells, {len(content) / 1e3:.0f} kB",
    }


def plain_pages_ms(repeat: int) -> float:
    """The floor: ms a page of FLOOR_PAGES plain receipt-sized pages (A5 landscape, the
    shipped font, a receipt's heading, lines and signatures) in one WeasyPrint document."""
    from django.conf import settings
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    font = settings.PDF_FONT_PATH.resolve().as_uri()
    css = CSS(
        string=f'@font-face {{ font-family: "Noto Sans SC"; src: url("{font}"); }}'
        "@page { size: A5 landscape; margin: 8mm 12mm 7mm; }"
        'body { font-family: "Noto Sans SC"; font-size: 10pt; }'
        "section + section { break-before: page; }"
        "table { width: 100%; border-collapse: collapse; table-layout: fixed; }"
        "td, th { border: 0.5pt solid #000; padding: 1mm; }",
        font_config=fonts,
    )
    page = (
        "<section><h1>收据</h1><p>编号：2026-{n:06d}　日期：2026-05-04</p>"
        "<p>交款人：上海某某装饰工程有限公司　铺位：A-1-05</p>"
        "<table><tr><th>收费项目</th><th>数量</th><th>单价</th><th>金额</th></tr>"
        "<tr><td>施工许可证费</td><td>2</td><td>20.00</td><td>40.00</td></tr>"
        "<tr><td>出入证工本费</td><td>2</td><td>10.00</td><td>20.00</td></tr>"
        "<tr><td>合计（大写）：陆拾元整</td><td></td><td></td><td>60.00</td></tr></table>"
        "<p>收款单位（盖章）：客户服务中心　收款人：李静</p></section>"
    )
    html = "".join(page.format(n=n) for n in range(FLOOR_PAGES))

    def render():
        HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)

    return _runs(render, f"plain pages, {FLOOR_PAGES} in a document", repeat) / FLOOR_PAGES


def pack_period(first, end, pack_receipts: int):
    """The first days of the statement's month that hold ``pack_receipts`` receipts or more."""
    from django.db.models import Count

    from fees.models import Receipt

    days = (
        Receipt.objects.filter(business_date__gte=first, business_date__lt=end)
        .values("business_date")
        .annotate(n=Count("pk"))
        .order_by("business_date")
    )
    held = 0
    for day in days:
        held += day["n"]
        if held >= pack_receipts:
            return first, day["business_date"]
    raise SystemExit(f"the statement month holds {held} receipts, fewer than {pack_receipts}")


def pack_against_plain_pages(first, end, pack_receipts: int, repeat: int) -> list[dict]:
    """The audit pack through its exporters (config.exporters, whatever builds them): its
    receipt pages alone, and the whole ZIP per receipt, each against the plain page."""
    from django.contrib.auth import get_user_model

    from config.exporters import exporter, no_progress
    from fees.selectors.statements import period_receipts

    date_from, date_to = pack_period(first, end, pack_receipts)
    receipts = period_receipts(date_from, date_to).count()
    params = {
        "date_from": date_from,
        "date_to": date_to,
        "by": get_user_model().objects.get(username="finance"),
    }

    floor = plain_pages_ms(repeat)
    lines = []
    # (exporter, its line, its bar): the receipts' PDF, the pack's section that grows with
    # the receipts, alone; then the whole pack, for information only: its files of the whole
    # month (the statement ...) weigh on a few days' receipts as they would not on a month's
    # (pack_receipts=month_receipts times the month's pack).
    for name, label, bar in (
        ("receipt_prints", "audit pack: receipt pages, ms a page", PACK_BAR),
        ("audit_pack", "audit pack: the whole ZIP, ms a receipt", None),
    ):
        try:
            report = exporter(name)
        except LookupError:
            print(f"  no exporter is named {name!r}: {label} is not measured")
            continue
        ms = _runs(
            lambda r=report: r.render(params, io.BytesIO(), no_progress),
            f"{name} of {receipts} receipts",
            repeat,
        )
        line = {"part": "fees", "label": label, "ms": ms / receipts, "floor_ms": floor}
        line.update(bar=bar, detail=f"{receipts} receipts, {date_from} to {date_to}")
        print(f"  {label:<40}{line['ms']:>10.2f} ms; 20,000 receipts: {line['ms'] * 20:.0f} s")
        lines.append(line)
    return lines
