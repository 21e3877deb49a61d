"""The audit pack's receipt pages against the plain-page floor, in ms a page.

    .venv/bin/python scripts/pack_speed.py [--sizes 500 2000] [--floor-pages 500]

Builds a scratch street (its own SQLite file in a temporary folder, or the database of
DATABASE_URL, which it fills: point it at a scratch database) with the largest size's
receipts on one day, then times receipts.pdf (fees.exporters.receipts) for the first N
receipts of that day, twice: the first time the receipts have no stored original yet
(each is laid out and stored, as the desk's first print would), the second time every page
is a stored original joined under the pack's frame. The floor is WeasyPrint laying out a
plain receipt-sized page (A5, a heading, a short table, no images) many to a document.
Wall time and this process's CPU time are both printed: the machine may be shared. Not a
test: it asserts nothing, it reports.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A receipt's page: the pack's receipt pages may cost this many times the floor's.
BAR = 1.5

FLOOR_PAGE = """
<section class="plain">
<h1>收据</h1>
<p>编号：2026-{n:06d}　交款人：王师傅　铺位：A-{n:03d}　日期：2026年3月5日 10:{m:02d}</p>
<table>
<tr><th>收费项目</th><th>数量</th><th>单价</th><th>优惠</th><th>金额</th></tr>
<tr><td>装修押金</td><td>1</td><td>2,000.00</td><td>0.00</td><td>2,000.00</td></tr>
<tr><td>出入证工本费</td><td>2</td><td>10.00</td><td>0.00</td><td>20.00</td></tr>
<tr><td colspan="4">合计人民币（大写）：贰仟零贰拾元整</td><td>2,020.00</td></tr>
</table>
<p>收款单位（盖章）：　收款人：李晓敏　交款人签字：</p>
</section>
"""


def setup_django(scratch: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_VAR_DIR"] = str(scratch)
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()


def build(receipts: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from archives.demo import build_register
    from config.demo import build_staff
    from config.models import Centre
    from fees.demo import build_takings

    call_command("migrate", verbosity=0)
    build_staff()
    build_register(units=200, tenants=200, contractors=10)
    build_takings(days=1, per_day=1, today=timezone.localdate(), busy_today=receipts)
    Centre.objects.create(
        name="幸福路步行街客户服务中心",
        address="杭州市上城区幸福路88号",
        telephone="0571-8765 4321",
        public_url="https://desk.example-street.cn",
    )


class Clock:
    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def floor(pages: int) -> float:
    """ms of CPU a plain receipt-sized page costs, ``pages`` to one document."""
    from django.conf import settings
    from weasyprint import HTML

    from config.pdf import BASE_URL, LocalFetcher, _base_style

    font_config, stylesheet = _base_style(str(settings.PDF_FONT_PATH))
    body = "".join(FLOOR_PAGE.format(n=n, m=n % 60) for n in range(pages))
    html = (
        '<html lang="zh-CN"><head><meta charset="utf-8"><style>@page { size: A5 landscape; }'
        ".plain + .plain { break-before: page; }</style></head><body>" + body + "</body></html>"
    )
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher())
    with Clock() as clock:
        pdf = document.write_pdf(stylesheets=[stylesheet], font_config=font_config)
    print(
        f"floor: plain A5 page, {pages} to a document: {clock.cpu * 1000 / pages:.1f} ms CPU"
        f" ({clock.wall * 1000 / pages:.1f} ms wall) a page, {len(pdf) / pages / 1024:.1f} KB"
        " a page"
    )
    return clock.cpu * 1000 / pages


def pack(size: int, floor_ms: float, when: str) -> None:
    from django.utils import timezone

    from config.exporters import Period
    from config.packs import SingleFile
    from fees.exporters.receipts import ReceiptPrintsPart
    from fees.models import ReceiptOriginal

    today = timezone.localdate()
    period = Period(today, today)
    part = ReceiptPrintsPart(period)
    part.ids = part.ids[:size]  # the first `size` receipts of the day
    stored = ReceiptOriginal.objects.filter(receipt__in=part.ids).count()
    out = io.BytesIO()
    with Clock() as clock:
        part.write(SingleFile(out, period, None, part.cost))
    per_page = clock.cpu * 1000 / size
    verdict = "within" if per_page <= BAR * floor_ms else "over"
    print(
        f"pack of {size} receipts, {when} ({stored} stored before): "
        f"{per_page:.1f} ms CPU ({clock.wall * 1000 / size:.1f} ms wall) a page, "
        f"{per_page / floor_ms:.2f}x the floor: {verdict} {BAR}x; "
        f"{out.tell() / size / 1024:.1f} KB a page; "
        f"20,000 receipts: {per_page * 20:.0f} s CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--floor-pages", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        setup_django(Path(scratch))
        build(max(args.sizes))
        from config.pdf import render_pdf

        render_pdf("pdf/base.html", {"title": "warm-up"})  # loads the font once
        floor_ms = floor(args.floor_pages)
        for size in sorted(args.sizes):
            pack(size, floor_ms, "first time")
            pack(size, floor_ms, "second time")


if __name__ == "__main__":
    main()
