"""The one rule for periods counted in years, 29 February included."""

from datetime import date

import pytest

from config.dates import year_end_from, years_later


@pytest.mark.parametrize(
    "day, years, later",
    [
        (date(2025, 3, 15), 1, date(2026, 3, 15)),
        (date(2024, 2, 29), 1, date(2025, 3, 1)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2028, 2, 29), -1, date(2027, 3, 1)),
        (date(2026, 12, 31), 1, date(2027, 12, 31)),
    ],
)
def test_years_later(day, years, later):
    assert years_later(day, years) == later


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 3, 15), date(2026, 3, 14)),
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2027, 3, 1), date(2028, 2, 29)),
        (date(2028, 2, 28), date(2029, 2, 27)),
    ],
)
def test_a_year_from_start_ends_the_day_before_its_date_a_year_later(start, end):
    assert year_end_from(start) == end
