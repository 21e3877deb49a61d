from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archives"
    verbose_name = _("Archives")

    def ready(self) -> None:
        from config.history import register_personal
        from config.privacy import ID_NUMBER, MOBILE

        # The register's history (its pages, the admin) shows ID and mobile numbers masked.
        register_personal(self.get_model("Tenant"), "id_number", ID_NUMBER)
        register_personal(self.get_model("Tenant"), "phone", MOBILE)
        register_personal(self.get_model("Contractor"), "phone", MOBILE)
