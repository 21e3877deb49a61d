"""archives' services, one module per concern, re-exported here."""

from archives.services.files import (
    document_add,
    file_mark_moved_out,
    file_move,
    file_number_next,
    file_open,
)
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
    "file_number_next",
    "file_open",
    "file_move",
    "document_add",
    "file_mark_moved_out",
]
