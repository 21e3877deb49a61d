from django.urls import path

from config.views import AREAS, area_index
from deposits.views import deposits, refunds

app_name = "deposits"

title, intro = AREAS["deposits"]
# Each views module lists its own routes, so the concerns stay in their own files.
urlpatterns = [
    path("", area_index, {"title": title, "intro": intro}, name="index"),
    *deposits.urls,
    *refunds.urls,
]
