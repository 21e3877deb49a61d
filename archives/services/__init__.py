"""archives' services, one module per concern, re-exported here."""

from archives.services.register import (
    access_record,
    id_number_reveal,
    occupancy_hand_over,
    occupancy_move_in,
    tenant_mark_verified,
)

__all__ = [
    "occupancy_move_in",
    "occupancy_hand_over",
    "tenant_mark_verified",
    "id_number_reveal",
    "access_record",
]
