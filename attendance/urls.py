from django.urls import path

from config.views import AREAS, area_index

app_name = "attendance"

title, intro = AREAS["attendance"]
urlpatterns = [
    path("", area_index, {"title": title, "intro": intro}, name="index"),
]
