from django.urls import path

from complaints.views import cases
from config.views import AREAS, area_index

app_name = "complaints"

title, intro = AREAS["complaints"]
urlpatterns = [
    path("", area_index, {"title": title, "intro": intro}, name="index"),
    *cases.urls,
]
