"""What fees tells the apps above it, inside the transaction of the change.

fees never imports the apps that depend on it (deposits keeps the card deposits of permits,
the deposits taken on receipts): it sends these signals from its services, in the same
transaction as the change, and a receiver that refuses (raises) undoes the whole change.
Every signal is sent with the model as ``sender`` and ``by``, the member of staff acting.
"""

from django.dispatch import Signal

# A worker permit was issued (one signal per permit, card by card): ``permit``, ``by``.
permit_issued = Signal()

# A permit's card came back (fees.services.permits.permit_return): ``permit``, ``by``.
permit_returned = Signal()

# A permit's card was reported lost: ``permit`` (now lost), ``by``. A replacement, if one is
# issued, is a new permit and sends permit_issued.
permit_lost = Signal()

# The manager approved the void of a receipt (its permits are cancelled with it):
# ``receipt``, ``by``.
receipt_voided = Signal()

# A receipt of a closed day was reversed (红冲): ``receipt`` (the original), ``reversal``,
# ``by``.
receipt_reversed = Signal()

# A receipt's lines settled charges, or undid a settlement (a reversal's lines): ``receipt``,
# ``tenants`` (the ids of the charges' tenants), ``by``. A void says so by receipt_voided.
charges_settled = Signal()
