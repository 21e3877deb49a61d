from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def read(self) -> datetime:
        return self.now

    def set(self, *args) -> datetime:
        self.now = datetime(*args, tzinfo=SHANGHAI)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """The services' clock, set by the test: Monday 30 November 2026, 10:00 to begin."""
    fixed = Clock(datetime(2026, 11, 30, 10, tzinfo=SHANGHAI))
    monkeypatch.setattr(timezone, "now", fixed.read)
    return fixed
