"""The desk's routes at the site's root, outside the fees namespace."""

from django.urls import path

from fees.views.receipts import verify_receipt

urlpatterns = [
    # Public: the page a receipt's QR code opens (random token, not the number).
    path("r/<str:token>/", verify_receipt, name="verify_receipt"),
]
