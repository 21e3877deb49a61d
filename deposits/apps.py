from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepositsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "deposits"
    verbose_name = _("Deposits")

    def ready(self) -> None:
        from deposits import history, receivers

        # Permit card deposits follow their cards; deposits end with their receipts.
        receivers.connect()
        # The history (pages and audit pack) shows money readably.
        history.register()
