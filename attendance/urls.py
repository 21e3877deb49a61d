from django.urls import path

from attendance.views import diary, handovers, months, register, report, staff, tasks
from config.views import AREAS, area_index

app_name = "attendance"

title, intro = AREAS["attendance"]
urlpatterns = [
    path("", area_index, {"title": title, "intro": intro}, name="index"),
    *staff.urls,
    *register.urls,
    *months.urls,
    # The work diary, the shift handover and the manager's tasks (issue #13).
    *diary.urls,
    *handovers.urls,
    *tasks.urls,
    *report.urls,
]
