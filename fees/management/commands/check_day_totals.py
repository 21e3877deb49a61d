import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min

from fees.management.commands.verify_receipts import _date
from fees.models import DailyClose, DayMethodTotal
from fees.selectors.totals import STORED_STATES, totals_differences
from fees.services.totals import day_totals_fill, day_totals_rewrite


class Command(BaseCommand):
    help = (
        "Check that the stored totals of the submitted days (what month and year figures "
        "read) equal the aggregation of their receipts, for the closes of a period (default: "
        "all). Lists every difference; exits with 1 if there is one. --fill first stores "
        "the totals of submitted days that have none, --rewrite stores every submitted day's "
        "anew (data written around the services: an import, a benchmark's bulk rows)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=_date, help="first business date")
        parser.add_argument("--to", dest="end", type=_date, help="last business date")
        parser.add_argument("--fill", action="store_true", help="store the missing totals first")
        parser.add_argument(
            "--rewrite", action="store_true", help="store every submitted day's totals anew first"
        )

    def handle(self, *args, start=None, end=None, fill=False, rewrite=False, **options):
        span = DailyClose.objects.aggregate(first=Min("business_date"), last=Max("business_date"))
        start = start or span["first"] or date.today()
        end = end or span["last"] or date.today()
        if end < start:
            raise CommandError("--to comes before --from.")
        closed = DailyClose.objects.filter(
            business_date__range=(start, end), state__in=STORED_STATES
        )
        if rewrite:
            self.stdout.write(f"stored the totals of {day_totals_rewrite(closed)} day(s) anew")
        elif fill:
            missing = closed.exclude(pk__in=DayMethodTotal.objects.values("close_id"))
            self.stdout.write(f"stored the totals of {day_totals_fill(missing)} day(s)")
        problems = totals_differences(start, end)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            self.stdout.write(f"{len(problems)} difference(s) from {start} to {end}.")
            sys.exit(1)
        self.stdout.write(f"The stored totals from {start} to {end} equal the receipts.")
