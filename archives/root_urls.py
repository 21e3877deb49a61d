"""The register's routes at the site's root, outside the archives namespace."""

from django.urls import path

from archives.views import register as views

urlpatterns = [
    # The header's search box, on every page.
    path("search/", views.search, name="search"),
]
