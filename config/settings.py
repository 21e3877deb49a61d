"""Settings for the service centre, read from the environment.

Development needs nothing set: SQLite in ``var/`` and a throwaway secret key.
Production sets ``DJANGO_PRODUCTION=1``, ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``
and usually ``DATABASE_URL`` (PostgreSQL).
"""

import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_flag("DJANGO_PRODUCTION")
DEBUG = env_flag("DJANGO_DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
    SECRET_KEY = "dev-only-not-secret-" + "x" * 40

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin with the centre's name in its header (config.admin_site).
    "config.admin_site.CentreAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_tables2",
    "django_filters",
    "simple_history",
    "config.third_party_apps.LoginAttemptsConfig",  # django-axes
    "config",
    "archives",
    "fees",
    "deposits",
    "complaints",
    "attendance",
    # Background jobs (config.jobs). After config, whose db_worker command (the library's
    # worker, which first marks failed the jobs of a dead worker) takes precedence.
    "django_tasks",
    "config.third_party_apps.BackgroundTasksConfig",  # django-tasks-db
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside the rest, so that it sees every answer (errors too): no page or file is kept.
    "config.middleware.NoStoreMiddleware",
    # Answers "the desk is busy" when a lock or statement time-out ran out (no 500).
    "config.middleware.BusyDatabaseMiddleware",
    # Django's, with a session that cannot be saved after the view's commit left unsaved.
    "config.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user and the messages are known, before LoginRequiredMiddleware's check.
    "config.sessions.SessionIdleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.navigation",
            ],
            # Staff are named on nearly every page and print: {{ user|person }} needs no load.
            "builtins": ["config.templatetags.people"],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# SQLite by default; WAL lets readers go on while one desk writes, and IMMEDIATE
# transactions take the write lock at BEGIN, so two desks writing at once queue up
# (for up to `timeout` seconds) instead of failing with "database is locked". SQLite's write
# lock is the whole database: every write queues behind every other, and a burst of desks
# drains within the 20 s. synchronous=FULL: with WAL, NORMAL may lose the last commits on a
# power cut, and a receipt the desk handed over must survive one.
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}
# PostgreSQL: waiting is bounded. A desk that meets a row another transaction holds (the
# numbering row behind a stuck request) gives up after DB_LOCK_TIMEOUT seconds and is told
# the desk is busy (config.middleware.BusyDatabaseMiddleware); a statement never runs past
# DB_STATEMENT_TIMEOUT; a transaction left open and idle is ended by the server after
# DB_IDLE_IN_TRANSACTION_TIMEOUT, releasing its locks. 0 switches one off (a long migration
# on a large database may need DB_STATEMENT_TIMEOUT=0 for its run).
DB_LOCK_TIMEOUT = int(os.environ.get("DB_LOCK_TIMEOUT", "5"))
DB_STATEMENT_TIMEOUT = int(os.environ.get("DB_STATEMENT_TIMEOUT", "30"))
DB_IDLE_IN_TRANSACTION_TIMEOUT = int(os.environ.get("DB_IDLE_IN_TRANSACTION_TIMEOUT", "60"))
# PostgreSQL's planner assumes a spinning disk (random_page_cost 4): it then reads every
# receipt line of years to aggregate the few hundred of today's receipts rather than look
# them up by receipt. On an SSD, or a database that fits in memory, a random read costs
# about a sequential one; PG_RANDOM_PAGE_COST overrides.
PG_RANDOM_PAGE_COST = float(os.environ.get("PG_RANDOM_PAGE_COST", "1.1"))
# A new connection waits up to this many seconds while PostgreSQL restarts (config.postgresql).
DB_CONNECT_WAIT = float(os.environ.get("DB_CONNECT_WAIT", "15"))
POSTGRES_OPTIONS = {
    "options": (
        f"-c lock_timeout={DB_LOCK_TIMEOUT}s -c statement_timeout={DB_STATEMENT_TIMEOUT}s"
        f" -c idle_in_transaction_session_timeout={DB_IDLE_IN_TRANSACTION_TIMEOUT}s"
        f" -c random_page_cost={PG_RANDOM_PAGE_COST}"
    )
}
if os.environ.get("DATABASE_URL"):
    # Connections are kept a minute and checked before reuse: after a database restart the
    # first request on each kept connection would otherwise fail.
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
    elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"]["ENGINE"] = "config.postgresql"
        DATABASES["default"]["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            **POSTGRES_OPTIONS,
        }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/ yet
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks -------------------------------------------------------------------
# Django's tasks API (the django-tasks backport) on the database above: a queued task is a
# row, and `manage.py db_worker` runs it. No other server; past one machine, a Redis-backed
# backend can take over. The test suite runs tasks at once instead (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Authentication ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures for one user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The project's catalogue first; then Chinese for libraries that ship none (django-axes,
# a few strings of the admin's scripts), kept apart so that makemessages never touches it.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "third_party_locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
# Uploads live outside static/ and are only served through views that check the role.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "uploads"))
# Where `manage.py backup` writes its archives unless told (--output); copy them elsewhere.
BACKUP_DIR = Path(os.environ.get("DJANGO_BACKUP_DIR", VAR_DIR / "backups"))
# Uploads (config.uploads): refused above this many bytes, and images above this many pixels
# in all, read from the header before decoding (a phone camera's usual photo passes; a file of a
# few kilobytes that claims 30,000 × 30,000 pixels does not).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_MAX_PIXELS = 40_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The shipped Chinese font, used by every PDF (see config.pdf).
PDF_FONT_PATH = BASE_DIR / "static" / "fonts" / "NotoSansSC-Regular.woff2"

# --- The centre -------------------------------------------------------------------------
# Defaults until the administrator saves the centre's settings (config.models.Centre).
CENTRE_NAME = os.environ.get("CENTRE_NAME", "步行街客户服务中心")
# The address in receipts' QR codes. Production has none until it is set: a receipt with
# a QR pointing at a development host would send the payer nowhere.
CENTRE_PUBLIC_URL = os.environ.get(
    "CENTRE_PUBLIC_URL", "" if PRODUCTION else "http://127.0.0.1:8000"
)
# A line's discount above this share of its gross amount needs the manager's approval.
DISCOUNT_APPROVAL_SHARE = Decimal(os.environ.get("DISCOUNT_APPROVAL_SHARE", "0.20"))
# The manager's password typed at the desk for that approval is throttled on its own (not by
# django-axes, so the manager's login is never locked by it): this many wrong passwords at
# one desk, or for one manager, within the period refuse further tries until it has passed.
DISCOUNT_APPROVAL_FAILURE_LIMIT = 5
DISCOUNT_APPROVAL_COOLOFF = timedelta(minutes=15)
# The cash float (备用金) a desk starts with when no earlier close left one; each close then
# hands its float left for the next shift on to the next day's count.
CASH_FLOAT_DEFAULT = Decimal(os.environ.get("CASH_FLOAT_DEFAULT", "0.00"))
# Worker permits expiring within this many days are listed as expiring soon.
PERMIT_EXPIRY_WARNING_DAYS = 7
# A decoration accepted (final inspection passed) whose deposit is still held this many days
# later is dormant: the deposit ledger flags it for the desk to chase (deposits.selectors.ledger).
DEPOSIT_DORMANT_DAYS = int(os.environ.get("DEPOSIT_DORMANT_DAYS", "90"))
# The refund clock: working days (config.workdays) from a deposit's refund gate opening to the
# refund paid; a refund (or an open gate without one) past this is late.
REFUND_TARGET_WORKING_DAYS = int(os.environ.get("REFUND_TARGET_WORKING_DAYS", "10"))
# Cases (complaints): the centre's opening hours on each working day (config.workdays, with
# China's holidays and 调休 weekends), the business hours config.business_hours counts; and
# the service level of each priority, in those business hours from the case's receipt.
CENTRE_OPENS = os.environ.get("CENTRE_OPENS", "09:00")
CENTRE_CLOSES = os.environ.get("CENTRE_CLOSES", "18:00")
CASE_SERVICE_HOURS = {"urgent": 4, "high": 8, "normal": 24, "low": 72}
# An open case due within this many business hours is due soon (the case list's tab).
CASE_DUE_SOON_HOURS = 4
# The desk calls back (回访) this many working days after the day a case is resolved.
CASE_CALLBACK_AFTER_WORKING_DAYS = 1
# A case of the same unit and category as one logged within this many days is a repeat.
CASE_REPEAT_DAYS = 30
# Tenant details must be verified at least this often (DESIGN.md, archives).
TENANT_VERIFY_EVERY_DAYS = 183
# No date entered in a form may be older than the centre's first records (config.dates).
EARLIEST_RECORD_DATE = date.fromisoformat(os.environ.get("EARLIEST_RECORD_DATE", "2000-01-01"))

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Messages ride in a signed cookie, not in the session row: the message of a receipt just
# issued must reach the desk even when the database is gone right after the commit.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # Who opened which personal file (a permit's photo): kept whatever the level above.
    "loggers": {"servicedesk.access": {"level": "INFO"}},
}

# --- Production hardening ---------------------------------------------------------------
if PRODUCTION:
    # Static files from the application itself (gunicorn has no file server): WhiteNoise
    # answers them before any other middleware, from STATIC_ROOT as `collectstatic` left it,
    # with content-hashed names cached for a year and gzip/Brotli copies made at collect time.
    # Development and the tests keep runserver's serving and need no collectstatic.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
# /health/ answers plain HTTP too (no redirect to HTTPS), so that a monitor on the machine
# itself can ask the application server directly (http://127.0.0.1:8000/health/).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# /health/ fails its disk check when the uploads' file system has less free than this.
HEALTH_MIN_FREE_DISK_MB = int(os.environ.get("HEALTH_MIN_FREE_DISK_MB", "500"))
SESSION_COOKIE_HTTPONLY = True
# A session ends this long after login whatever the activity (config.sessions pins it)...
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
# ... and sooner after this many seconds without a request: a desk left logged in.
SESSION_IDLE_TIMEOUT = 60 * int(os.environ.get("SESSION_IDLE_MINUTES", "30"))

# --- Content-Security-Policy (django-csp) -----------------------------------------------
# Scripts and styles come only from our own static files: no script or style written into
# a page, no eval, and no page of ours inside another site's frame. Images may be data:
# URIs (Bootstrap draws its form controls with them; the admin previews the seal with one).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
