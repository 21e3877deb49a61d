from django.urls import path

from fees.views import books, chain, charges, days, exports, months, permits, receipts

app_name = "fees"

# Each views module lists its own routes, so the parts of the desk stay in their own files.
urlpatterns = [
    path("", receipts.index, name="index"),
    *receipts.urls,
    *days.urls,
    *permits.urls,
    *charges.urls,
    *books.urls,
    *months.urls,
    *chain.urls,
    *exports.urls,
]
