from django.urls import path

from config.views import AREAS, area_index
from deposits.views import ledger

app_name = "deposits"

title, intro = AREAS["deposits"]
urlpatterns = [
    path("", area_index, {"title": title, "intro": intro}, name="index"),
    *ledger.urls,
]
