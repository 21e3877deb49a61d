from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core import checks
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = _("Service centre")

    def ready(self) -> None:
        from config import rights
        from config.permanence import (
            check_admin_offers_no_delete,
            check_declarations,
            refuse_deletes,
            register_sqlite_function,
        )
        from config.roles import sync_roles_after_migrate
        from config.sessions import session_started

        # Every change of a user's (or a role's) rights is recorded, whatever the path.
        rights.connect()

        # Roles are defined once in code (config.roles) and re-applied after every migrate,
        # so a fresh database and an upgraded one end with the same groups.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
        # Each app registers its reports in its own exporters module (config.exporters).
        autodiscover_modules("exporters")
        # The triggers of permanent records ask SQLite's connections whether they are in
        # maintenance (config.permanence): every connection Django opens can answer.
        connection_created.connect(register_sqlite_function, dispatch_uid="permanence")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register_sqlite_function(connection=connection)
        # Permanent records (config.permanence): no delete of theirs or of their histories.
        refuse_deletes()
        checks.register(check_declarations, checks.Tags.models)
        checks.register(check_admin_offers_no_delete, checks.Tags.admin)
        # The administrator's calendar days (config.workdays) are read again once changed.
        from config.models import CalendarDay
        from config.workdays import forget_overrides

        post_save.connect(forget_overrides, sender=CalendarDay, dispatch_uid="calendar_day")
        post_delete.connect(forget_overrides, sender=CalendarDay, dispatch_uid="calendar_day")
        # A login fixes when its session ends, whatever the activity (config.sessions).
        user_logged_in.connect(session_started, dispatch_uid="config.session_started")
