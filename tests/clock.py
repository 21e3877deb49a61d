"""The services' clock in tests: ``django.utils.timezone.now`` reads a time the test sets,
so that nothing depends on the day the suite runs."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def read(self) -> datetime:
        return self.now

    def set(self, *args) -> datetime:
        """Move to that time (year, month, day[, hour ...]) in Shanghai."""
        self.now = datetime(*args, tzinfo=SHANGHAI)
        return self.now


def fixed_clock(monkeypatch, now: datetime) -> Clock:
    """timezone.now stopped at ``now`` until the test moves it."""
    clock = Clock(now)
    monkeypatch.setattr(timezone, "now", clock.read)
    return clock
