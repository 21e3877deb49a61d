"""Work done by several people at the same instant, for the tests of locks and throttles."""

import threading
from collections.abc import Callable, Sequence

from django.db import connections
from django.utils import translation


def at_once(work: Callable, people: Sequence) -> None:
    """Run ``work(person)`` for every person, each in a thread of its own (so on a database
    connection of its own), all released by one barrier. A thread's failure fails the
    caller; each thread speaks the test's language (a new thread has none activated)."""
    start, errors = threading.Barrier(len(people)), []
    language = translation.get_language()

    def run(person) -> None:
        translation.activate(language)
        try:
            start.wait()
            work(person)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
