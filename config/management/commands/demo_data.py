from django.core.management.base import BaseCommand
from django.utils import timezone

from archives.models import Unit
from config.demo import (
    DEMO_CASH_FLOAT,
    DEMO_PASSWORD,
    DEMO_STAFF,
    build_charges,
    build_permits,
    build_register,
    build_staff,
    build_takings,
)
from config.roles import role_label, sync_roles


class Command(BaseCommand):
    help = "Build a believable street with staff for every role (skipped if units exist)."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=96)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, units, seed, **options):
        sync_roles()
        build_staff()
        if Unit.objects.exists():
            self.stdout.write("The register has data already; only the demo users were checked.")
        else:
            build_register(units=units, tenants=units + 8, contractors=14, seed=seed)
            receipts = build_takings(
                days=90,
                per_day=12,
                today=timezone.localdate(),
                seed=seed,
                busy_today=6,
                cash_float=DEMO_CASH_FLOAT,
            )
            build_charges(today=timezone.localdate(), seed=seed)
            build_permits(today=timezone.localdate(), seed=seed)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Built a street of {units} units and {receipts} receipts over 90 days."
                )
            )
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, full_name, role in DEMO_STAFF:
            self.stdout.write(f"  {username:<12} {full_name:<10} {role_label(role)}")
