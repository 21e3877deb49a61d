"""gunicorn's settings for the centre (read by `gunicorn config.wsgi` run from this folder).

Every value can be changed through the environment, so one file serves a small centre's
single machine and `make stack`'s two instances on loopback.

Workers are threaded (gthread): a request waiting on the database (a desk queued behind the
receipt numbering's lock) holds one thread, not the whole worker, so the other threads,
and the other workers, still answer the next desks and the monitor's `/health/`. How long such
a wait lasts is bounded by the database's own timeouts (config.settings), not by gunicorn:
a gthread worker whose threads are busy still reports alive, and `timeout` only restarts a
worker that stopped answering altogether (stuck outside any request, or in C code that never
releases the interpreter).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# The usual 2 × cores + 1 processes; each with a few threads, since most of a desk's request
# is spent waiting on PostgreSQL. A PDF holds its thread for tens of milliseconds.
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a restart, a deploy) a request under way gets this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (give or take the jitter, so that they are
# not all replaced at once): whatever memory a long day of PDFs and reports left behind goes
# with it.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The heartbeat file on memory, not on a disk that may stall under a backup.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
proc_name = os.environ.get("GUNICORN_PROC_NAME", "servicedesk")
# Two instances on one machine must not share the control socket's default path.
control_socket_disable = True

# Logs to standard output and error, for systemd's journal (or the file `make stack` keeps).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# The time taken in microseconds (%(D)s) after the usual combined format.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
