from django.core.management.base import BaseCommand

from config.roles import sync_roles


class Command(BaseCommand):
    help = "Create the role groups and set their permissions as defined in config/roles.py."

    def handle(self, *args, **options):
        sync_roles()
        self.stdout.write(self.style.SUCCESS("Roles synchronised."))
