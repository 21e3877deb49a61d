from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from config.models import Centre
from config.uploads import clean_image, png_data_uri

# A logo or seal is a small picture; a larger file is a mistake, not a better print.
CENTRE_IMAGE_MAX_BYTES = 2 * 1024 * 1024


class StoredImageInput(AdminFileWidget):
    """Shows the stored image itself rather than a link to it: uploads are not served by
    URL (DESIGN.md, uploads), and a logo or seal is small enough to travel in the page."""

    template_name = "config/widgets/stored_image_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview"] = png_data_uri(value) if self.is_initial(value) else ""
        return context


class CentreForm(forms.ModelForm):
    class Meta:
        model = Centre
        fields = ["name", "address", "telephone", "public_url", "logo", "seal"]
        widgets = {"logo": StoredImageInput, "seal": StoredImageInput}

    def _clean_upload(self, name: str):
        value = self.cleaned_data.get(name)
        # A new upload is decoded and re-encoded; the stored file or a "clear" passes as is.
        if isinstance(value, UploadedFile):
            return clean_image(value, max_bytes=CENTRE_IMAGE_MAX_BYTES)
        return value

    def clean_logo(self):
        return self._clean_upload("logo")

    def clean_seal(self):
        return self._clean_upload("seal")


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin):
    """One row: the list opens the row (or the form to make it); nobody deletes it."""

    form = CentreForm

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Centre.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        centre = Centre.objects.filter(pk=Centre.SINGLETON_ID).first()
        if centre is not None and self.has_view_or_change_permission(request, centre):
            return redirect("admin:config_centre_change", centre.pk)
        if centre is None and self.has_add_permission(request):
            return redirect("admin:config_centre_add")
        return super().changelist_view(request, extra_context)

    def get_changeform_initial_data(self, request):
        return {"name": settings.CENTRE_NAME, "public_url": settings.CENTRE_PUBLIC_URL}
