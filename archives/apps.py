from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
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

        # A change of the catalogue changes what every file lacks (its stored count).
        document_type = self.get_model("DocumentType")
        post_save.connect(_catalogue_changed, sender=document_type)
        post_delete.connect(_catalogue_changed, sender=document_type)


def _catalogue_changed(sender, **kwargs) -> None:
    from archives.services.files import files_missing_refresh

    files_missing_refresh()
