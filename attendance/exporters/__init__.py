"""The attendance reports registered with config's exporter registry."""

from attendance.exporters import months  # noqa: F401
