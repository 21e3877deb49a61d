from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = _("Service centre")

    def ready(self) -> None:
        from config import rights
        from config.roles import sync_roles_after_migrate

        # Every change of a user's (or a role's) rights is recorded, whatever the path.
        rights.connect()

        # Roles are defined once in code (config.roles) and re-applied after every migrate,
        # so a fresh database and an upgraded one end with the same groups.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
        # Each app registers its reports in its own exporters module (config.exporters).
        autodiscover_modules("exporters")
