from django.urls import path

from attendance.views import months, register, staff
from config.views import AREAS, area_index

app_name = "attendance"

title, intro = AREAS["attendance"]
urlpatterns = [
    path("", area_index, {"title": title, "intro": intro}, name="index"),
    *staff.urls,
    *register.urls,
    *months.urls,
]
