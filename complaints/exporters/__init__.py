"""Every Excel and PDF report of the complaints app, one module per concern, each
registered with config's registry (config.exporters) when config imports this package."""

from complaints.exporters import statistics  # noqa: F401
