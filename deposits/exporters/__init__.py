"""Every Excel, PDF and pack section of the deposits app, one module per concern, each
registered with config's registry (config.exporters) when config imports this package."""

from deposits.exporters import ledger, refunds  # noqa: F401
