"""Every Excel file of the archives app, one module per concern, each registered with
config's registry (config.exporters) when config imports this package at start-up."""

from archives.exporters import access, imports, summary  # noqa: F401
