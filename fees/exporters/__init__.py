"""Every Excel, PDF and ZIP report of the fees app, one module per concern, each registered
with config's registry (config.exporters) when config imports this package at start-up.

An exporter's parameter form is declared beside it (as pretix's exporters declare their
fields): exporters sit below forms and services in the app's layers, since the month lock
(a service) renders the statement, and the pages that ask the same (a month, a period)
import the form from here."""

from fees.exporters import (  # noqa: F401
    audit_pack,
    books,
    chain,
    charges,
    days,
    history,
    receipts,
    statements,
)
