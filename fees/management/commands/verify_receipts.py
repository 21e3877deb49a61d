from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fees.selectors.chain import chain_verify


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


class Command(BaseCommand):
    help = (
        "Verify the receipt chain of the receipts dated in a period (default: all of them): "
        "every hash, no missing number, the links into and out of the period, the hashes the "
        "month locks recorded. Lists every break, first one first; exits with 1 on a break."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=_date, help="first business date")
        parser.add_argument("--to", dest="end", type=_date, help="last business date")

    def handle(self, *args, start=None, end=None, **options):
        if start and end and end < start:
            raise CommandError("--to comes before --from.")
        report = chain_verify(start, end)
        for found in report.breaks:
            self.stdout.write(f"{found.number}\t{found.label}\t{found.message}")
        if report.truncated:
            self.stdout.write(_("The verification stopped after the first 100 breaks."))
        summary = _("%(receipts)d receipt(s) and %(locks)d month lock(s) verified.") % {
            "receipts": report.checked,
            "locks": report.anchors,
        }
        if report.intact:
            self.stdout.write(summary + " " + _("The chain is intact."))
            return
        self.stdout.write(summary)
        raise CommandError(
            _("The receipt chain is broken; first broken link: %(number)s.")
            % {"number": report.first_break.number},
            returncode=1,
        )
