from django.urls import path

from deposits.views import applications, area, violations

app_name = "deposits"

# Each views module lists its own routes, as fees' do.
urlpatterns = [
    path("", area.index, name="index"),
    *applications.urls,
    *violations.urls,
]
