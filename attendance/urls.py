from django.urls import path

from attendance.views import area, diary, handovers, months, register, report, staff, tasks

app_name = "attendance"

urlpatterns = [
    # The register; the tasks for those who read no attendance.
    path("", area.index, name="index"),
    *staff.urls,
    *register.urls,
    *months.urls,
    # The work diary, the shift handover and the manager's tasks (issue #13).
    *diary.urls,
    *handovers.urls,
    *tasks.urls,
    *report.urls,
]
