"""Django's PostgreSQL backend whose new connections wait out a short outage.

A PostgreSQL restart (an upgrade, a failover, a crash) refuses connections for some seconds.
Without a wait every desk that clicks then gets a server error; with it the click takes a
few seconds longer and goes through. Only failures that pass are waited for: the server not
answering (no SQLSTATE: refused, unreachable) or answering "not now" (57P03, starting or
shutting down). A wrong password or a missing database fails at once. ``DB_CONNECT_WAIT``
seconds bound the wait (0: none); /health/ never waits (``connect_without_waiting``), so a
monitor hears at once that the database is down.
"""

import contextlib
import contextvars
import time

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import OperationalError

_waiting = contextvars.ContextVar("connect_waits", default=True)

# The server refuses or does not answer (libpq gives no SQLSTATE), or says "not now".
PASSING_SQLSTATES = {None, "57P03"}
FIRST_PAUSE, LONGEST_PAUSE = 0.25, 2.0


@contextlib.contextmanager
def connect_without_waiting():
    token = _waiting.set(False)
    try:
        yield
    finally:
        _waiting.reset(token)


def passes(error: OperationalError) -> bool:
    return getattr(error, "sqlstate", None) in PASSING_SQLSTATES


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        wait = settings.DB_CONNECT_WAIT if _waiting.get() else 0
        deadline = time.monotonic() + wait
        pause = FIRST_PAUSE
        while True:
            try:
                return super().get_new_connection(conn_params)
            except OperationalError as error:
                if not passes(error) or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)
