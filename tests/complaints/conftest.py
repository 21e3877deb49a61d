from datetime import datetime

import pytest

from tests.clock import SHANGHAI, fixed_clock


@pytest.fixture
def clock(monkeypatch):
    """The services' clock, set by the test: Monday 30 November 2026, 10:00 to begin."""
    return fixed_clock(monkeypatch, datetime(2026, 11, 30, 10, tzinfo=SHANGHAI))
