from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = _("Service centre")

    def ready(self) -> None:
        from config.roles import sync_roles_after_migrate
        from config.sessions import session_started

        # Roles are defined once in code (config.roles) and re-applied after every migrate,
        # so a fresh database and an upgraded one end with the same groups.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
        # Each app registers its reports in its own exporters module (config.exporters).
        autodiscover_modules("exporters")
        # A login fixes when its session ends, whatever the activity (config.sessions).
        user_logged_in.connect(session_started, dispatch_uid="config.session_started")
