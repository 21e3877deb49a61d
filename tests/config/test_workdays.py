from datetime import date, timedelta

from config.workdays import add_working_days, is_estimate, is_working_day, working_days_between


def test_national_day_week_is_off_and_the_swapped_saturday_is_on():
    # 2026: 1–7 October off; Saturday 10 October worked in exchange (调休).
    assert not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 7))
    assert is_working_day(date(2026, 10, 8))
    assert is_working_day(date(2026, 10, 10))
    assert not is_working_day(date(2026, 10, 11))


def test_days_between_count_after_the_start_up_to_the_end():
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 30)) == 1  # Fri → Mon
    assert working_days_between(date(2026, 11, 30), date(2026, 11, 30)) == 0
    assert working_days_between(date(2026, 12, 1), date(2026, 11, 30)) == 0
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2  # 8 and 9 October


def test_adding_working_days_skips_the_holiday():
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 11, 27), 10) == date(2026, 12, 11)
    assert add_working_days(date(2026, 11, 27), 0) == date(2026, 11, 27)


def test_a_year_without_a_notice_counts_weekdays():
    assert not is_estimate(date(2026, 12, 31))
    assert is_estimate(date(3000, 1, 1))
    assert is_working_day(date(3000, 1, 1))  # a Wednesday
    assert not is_working_day(date(3000, 1, 4))  # a Saturday


def test_spans_across_years_count_as_day_by_day():
    def day_by_day(start, end):
        days = (end - start).days
        return sum(is_working_day(start + timedelta(days=n)) for n in range(1, days + 1))

    spans = [
        (date(2026, 9, 30), date(2026, 10, 14)),
        (date(2026, 12, 20), date(2027, 1, 5)),  # into a year without a notice
        (date(2024, 5, 1), date(2026, 10, 14)),
        (date(2023, 12, 31), date(2024, 1, 2)),
        (date(2024, 2, 28), date(2024, 3, 1)),  # 29 February
        (date(2025, 2, 10), date(2025, 2, 11)),
    ]
    assert [working_days_between(*span) for span in spans] == [day_by_day(*span) for span in spans]
