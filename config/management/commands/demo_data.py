from django.core.management.base import BaseCommand
from django.utils import timezone

from config.demo import (
    DEMO_PASSWORD,
    DEMO_STAFF,
    DemoStreet,
    build_staff,
    build_street,
    demo_parts,
    street_exists,
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
        parts = demo_parts()
        if street_exists(parts):
            self.stdout.write("The register has data already; only the demo users were checked.")
        else:
            street = DemoStreet(units=units, seed=seed, today=timezone.localdate())
            built = build_street(street, parts)
            self.stdout.write(self.style.SUCCESS(f"Built {' and '.join(built)}."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, full_name, role in DEMO_STAFF:
            self.stdout.write(f"  {username:<12} {full_name:<10} {role_label(role)}")
