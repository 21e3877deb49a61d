"""archives' services, one module per concern, re-exported here."""

from archives.services.access import (
    access_request_approve,
    access_request_file,
    access_request_refuse,
    file_read_record,
)
from archives.services.files import (
    document_add,
    file_mark_moved_out,
    file_move,
    file_number_next,
    file_open,
)
from archives.services.loans import lendable_refusal, loan_lend, loan_return
from archives.services.register import (
    access_record,
    id_number_reveal,
    occupancy_hand_over,
    occupancy_move_in,
    tenant_mark_verified,
    tenant_verify_with_changes,
)

__all__ = [
    "occupancy_move_in",
    "occupancy_hand_over",
    "tenant_mark_verified",
    "tenant_verify_with_changes",
    "access_request_file",
    "access_request_approve",
    "access_request_refuse",
    "file_read_record",
    "lendable_refusal",
    "loan_lend",
    "loan_return",
    "id_number_reveal",
    "access_record",
    "file_number_next",
    "file_open",
    "file_move",
    "document_add",
    "file_mark_moved_out",
]
