from django.urls import path

from deposits.views import applications, area, deposits, ledger, moveouts, refunds, violations

app_name = "deposits"

# Each views module lists its own routes, so the concerns stay in their own files.
urlpatterns = [
    path("", area.index, name="index"),
    *applications.urls,
    *violations.urls,
    *deposits.urls,
    *refunds.urls,
    *moveouts.urls,
    *ledger.urls,
]
