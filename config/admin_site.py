"""The admin site, headed by the centre's name as the administrator keeps it."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class CentreAdminSite(admin.AdminSite):
    def each_context(self, request):
        # Imported here: this module is loaded with the app registry, before models are.
        from config.centre import current_centre

        context = super().each_context(request)
        name = current_centre(request).name
        context.update(site_header=name, site_title=name)
        return context


class CentreAdminConfig(AdminConfig):
    default_site = "config.admin_site.CentreAdminSite"
