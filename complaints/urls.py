from django.urls import path

from complaints.views import callbacks, cases, categories, departments, statistics

app_name = "complaints"

urlpatterns = [
    path("", cases.CaseList.as_view(), name="index"),  # the area opens on its case list
    *cases.urls,
    *statistics.urls,
    *callbacks.urls,
    *departments.urls,
    *categories.urls,
]
