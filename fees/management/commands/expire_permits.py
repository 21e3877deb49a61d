from django.core.management.base import BaseCommand
from django.utils import timezone

from fees.services.permits import permits_expire


class Command(BaseCommand):
    help = "Mark active worker permits past their last day as expired (run daily, after midnight)."

    def handle(self, *args, **options):
        count = permits_expire(today=timezone.localdate())
        self.stdout.write(f"{count} permit(s) expired.")
