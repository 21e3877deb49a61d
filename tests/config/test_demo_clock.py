"""config.demo.DemoClock: the demo's stories play on one timeline in the past, and the
machine's clock is back when they are done."""

from datetime import date, datetime

from django.utils import timezone

from config.demo import DemoClock

TODAY = date(2026, 3, 16)


def test_stories_play_their_steps_in_the_order_of_their_moments():
    machine = timezone.now
    clock = DemoClock(today=TODAY)
    seen = []

    def story(name, steps):
        for days_ago, hour in steps:
            yield days_ago, hour
            seen.append((name, clock.date, timezone.localtime().time().hour))

    clock.run([story("a", [(10, 9), (2, 9)]), story("b", [(10, 8), (5, 15)])])
    assert seen == [
        ("b", date(2026, 3, 6), 8),
        ("a", date(2026, 3, 6), 9),
        ("b", date(2026, 3, 11), 15),
        ("a", date(2026, 3, 14), 9),
    ]
    assert timezone.now is machine


def test_each_reading_is_later_than_the_one_before():
    clock = DemoClock(today=TODAY)
    readings = []

    def story():
        yield 1, 10
        readings.extend([timezone.now(), timezone.now()])

    clock.run([story()])
    assert readings[1] > readings[0] >= timezone.make_aware(datetime(2026, 3, 15, 10))
