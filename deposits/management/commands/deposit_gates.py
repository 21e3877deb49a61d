from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from deposits.models import Deposit
from deposits.services.gates import stale_gates, sync_gates


class Command(BaseCommand):
    help = (
        "Check each held deposit's stored refund gate (the day it opened) against the records "
        "it reads; with --fix, write what the records say. Lists every difference and, "
        "without --fix, exits with 1 when there is one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="write the gates found stale")

    def handle(self, *args, fix=False, **options):
        with transaction.atomic():
            stale = stale_gates(Deposit.objects.all())
            stored = dict(Deposit.objects.filter(pk__in=stale).values_list("pk", "gate_opened_on"))
            for pk, opened_on in sorted(stale.items()):
                self.stdout.write(f"deposit {pk}\tstored {stored[pk]}\trecords {opened_on}")
            if fix:
                sync_gates(Deposit.objects.filter(pk__in=stale))
                self.stdout.write(f"{len(stale)} gate(s) written.")
            elif stale:
                raise CommandError(f"{len(stale)} stored gate(s) differ from the records.")
            else:
                self.stdout.write("Every stored gate agrees with the records.")
