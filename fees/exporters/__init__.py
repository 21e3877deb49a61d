"""Every Excel, PDF and ZIP report of the fees app, one module per concern, each registered
with config's registry (config.exporters) when config imports this package at start-up."""

from fees.exporters import (  # noqa: F401
    audit_pack,
    books,
    charges,
    days,
    history,
    receipts,
    statements,
)
