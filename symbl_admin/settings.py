"""Project settings. Every knob comes from the environment; see README "Configuration"."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from local_api import LOCAL_APP_ID, LOCAL_APP_SECRET
from symbl_admin import private_files, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SYMBL_VAR_DIR", BASE_DIR / "var"))
# Owner-only, and what is directly in it too (an older checkout's 0644 files are tightened).
private_files.private_dir(VAR_DIR, children=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value.strip() else default


DEBUG = env_bool("DJANGO_DEBUG", False)

# DJANGO_SECRET_KEY, else the key `make run` generated; never invented with DEBUG off.
SECRET_KEY = secret_key.resolve(environ=os.environ, var_dir=VAR_DIR, debug=DEBUG)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "accounts",
    "audit",
    "local_api",
    "dashboard",
    "resources",
    "review",
    "backup",
    "trackers",
    "groups",
    "tester",
    "conversations",
]

MIDDLEWARE = [
    "symbl_admin.middleware.RequestIdMiddleware",
    # Outside CommonMiddleware, which sets Content-Length from the body this one drops.
    "symbl_admin.middleware.HeadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Inside authentication (it reads request.user), outside everything that answers for it.
    "symbl_admin.middleware.NoStoreMiddleware",
    "accounts.sessions.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "symbl_admin.middleware.HtmxMessagesMiddleware",
    "symbl_admin.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "symbl_admin.urls"
WSGI_APPLICATION = "symbl_admin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "symbl_admin.context_processors.dashboard",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]


def _conn_max_age(value: str) -> int | None:
    """DATABASE_CONN_MAX_AGE: seconds, 0 for a new connection per request; unset: no limit."""
    return int(value) if value.strip() else None


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dashboard.sqlite3'}",
        # Kept open for the worker thread's life by default: a connection closed every minute
        # took its page cache with it, and each new one grew a worker's memory again
        # (`make bench`). A broken one is noticed before the request uses it.
        conn_max_age=_conn_max_age(os.environ.get("DATABASE_CONN_MAX_AGE", "")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Created 0600 before SQLite opens it; its -wal and -shm take the same mode.
    private_files.sqlite_file(DATABASES["default"]["NAME"])
    # WAL + a busy timeout let several gunicorn workers share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

ON_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# The Management API token, the sign-in throttle's counters and the audit status live here.
# SQLite (one host): a file cache every worker on this host shares. PostgreSQL (any number of
# instances): a table in that database, so every instance shares them; `migrate` creates it
# (resources.apps runs createcachetable after every migrate).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "symbl_cache",
            # Django culls past 300 entries: a spray of sign-in failures would evict the token.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
        if ON_POSTGRES
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Sessions live here too (SESSION_ENGINE): past 300 files Django would cull a
            # third of them at random, the Management API token among them.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
}

# Every value the dashboard keeps to skip work (symbl_admin/caching): "on", "off", only some
# layers ("pages,rows") or all but some ("-pages"). Tests and `make bench` switch it.
DASHBOARD_CACHES = os.environ.get("DASHBOARD_CACHES", "on")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's ModelBackend, reading the signed-in user through a query built once.
AUTHENTICATION_BACKENDS = ["accounts.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
# Times are stored in UTC; pages write them in this zone, named ("2026-12-01 22:47 UTC"), and
# the browser then shows them in the viewer's own zone (static/js/app.js, data-local).
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "").strip() or "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("SYMBL_PLAIN_STATIC", False)
            else "symbl_admin.static_storage.ManifestStorage"
        )
    },
}

# Request bodies over this are refused with 413 before they are read, a chunked one as soon as
# it passes it (symbl_admin/body_limit.py, around the WSGI app): nothing larger is ever staged
# in the temp dir. An import larger than this is split by the user.
try:
    MAX_REQUEST_BODY_MB = env_float("DJANGO_MAX_REQUEST_BODY_MB", 20.0)
except ValueError:
    MAX_REQUEST_BODY_MB = 0.0
if not MAX_REQUEST_BODY_MB > 0:
    raise ImproperlyConfigured("DJANGO_MAX_REQUEST_BODY_MB must be a positive number of MB.")
MAX_REQUEST_BODY_BYTES = int(MAX_REQUEST_BODY_MB * 1_048_576)
# A conversation import takes up to 1,000 .txt transcripts and a metadata CSV in one upload
# (conversations/importing.py bounds it; Django's default of 100 files would answer 400).
DATA_UPLOAD_MAX_NUMBER_FILES = 1002

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Security. Production defaults; DEBUG relaxes only what local HTTP needs.
SESSION_COOKIE_HTTPONLY = True
# Sessions are written to the database and read from the default cache first (the database
# on a miss): a signed-in page no longer starts with a session query. Sign-out and the
# lifetime limits flush both (accounts/sessions.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_ABSOLUTE_HOURS after
# sign-in, whichever comes first (accounts/sessions.py); the cookie lasts no longer.
SESSION_IDLE_TIMEOUT = env_float("SESSION_IDLE_MINUTES", 30.0) * 60
SESSION_ABSOLUTE_LIFETIME = env_float("SESSION_ABSOLUTE_HOURS", 12.0) * 3600
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME)
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF secret lives in the session, not in a cookie of its own: with a cookie, Django
# sends Set-Cookie on every page that shows a token (to renew its year-long expiry), and every
# client parses it on every page. The token in the page (forms, htmx's X-CSRFToken) is the
# same masked token either way; signing in rotates it, signing out flushes it.
CSRF_USE_SESSIONS = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind our proxy: trust its X-Forwarded-Proto, and take the client's address (sign-in
# throttle, audit log) from X-Forwarded-For: the entry the outermost of our
# DJANGO_TRUSTED_PROXY_COUNT proxies appended, counted from the right (everything to its
# left is whatever the client sent). Without a proxy, REMOTE_ADDR and no header is read.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = max(1, int(env_float("DJANGO_TRUSTED_PROXY_COUNT", 1)))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# The Management API. Unset base URL: the embedded local server, in-process.
SYMBL_API_BASE_URL = os.environ.get("SYMBL_API_BASE_URL", "").rstrip("/")
# Both unset: the public local pair our standalone server accepts, so the README's
# `SYMBL_API_BASE_URL=http://127.0.0.1:8001 make run` signs in; it protects nothing elsewhere.
SYMBL_APP_ID = os.environ.get("SYMBL_APP_ID", "")
SYMBL_APP_SECRET = os.environ.get("SYMBL_APP_SECRET", "")
if not (SYMBL_APP_ID or SYMBL_APP_SECRET):
    SYMBL_APP_ID, SYMBL_APP_SECRET = LOCAL_APP_ID, LOCAL_APP_SECRET
# The standalone Management API (run_management_api): after this many wrong appId/appSecret
# pairs from one address within the window (seconds), its token requests answer 429.
SYMBL_LOCAL_API_TOKEN_FAILURES = int(env_float("SYMBL_LOCAL_API_TOKEN_FAILURES", 10))
SYMBL_LOCAL_API_TOKEN_WINDOW = env_float("SYMBL_LOCAL_API_TOKEN_WINDOW", 60.0)
SYMBL_API_CONNECT_TIMEOUT = env_float("SYMBL_API_CONNECT_TIMEOUT", 3.0)
SYMBL_API_READ_TIMEOUT = env_float("SYMBL_API_READ_TIMEOUT", 15.0)
SYMBL_API_DEADLINE = env_float("SYMBL_API_DEADLINE", 20.0)
# The client's circuit breaker (management_api/breaker.py), per worker process: after this
# many calls in a row fail (timeouts, connection errors, 5xx), calls fail at once for the
# cool-down, then one probe goes through. 0 turns it off.
SYMBL_API_BREAKER_THRESHOLD = int(env_float("SYMBL_API_BREAKER_THRESHOLD", 5))
SYMBL_API_BREAKER_COOLDOWN = env_float("SYMBL_API_BREAKER_COOLDOWN", 15.0)
SYMBL_LOCAL_API_DATA = os.environ.get(
    "SYMBL_LOCAL_API_DATA", str(VAR_DIR / "management-api.sqlite3")
)
# Set: the local Management API keeps its data in this PostgreSQL database instead (several
# instances, standalone or embedded, may share it). Never the dashboard's own database.
SYMBL_LOCAL_API_DATABASE_URL = os.environ.get("SYMBL_LOCAL_API_DATABASE_URL", "").strip()
# The embedded server: a dotted path to a callable returning (wsgi_app, app_id, app_secret).
# The client loads it by name, so it never imports a server (see management_api/embedded.py).
SYMBL_API_EMBEDDED_APP = os.environ.get("SYMBL_API_EMBEDDED_APP", "local_api.embedded.wsgi_app")

AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints"))
# A write still pending after this long was abandoned (crash, killed worker): the screens say
# "No answer recorded" and `manage.py reconcile_audit` asks the server. Longer than any call.
AUDIT_PENDING_STALE_SECONDS = env_float(
    "AUDIT_PENDING_STALE_SECONDS", max(60.0, 2 * SYMBL_API_DEADLINE)
)

# The most rows a spreadsheet (.xlsx) export writes (a sheet holds 1,048,575 under its header).
# Streamed, the audit log's takes about 5 s per 50,000 rows here (`make bench`), and a request
# must end well inside the worker's timeout. Past it the export is refused with a page that
# says so, never cut short; the CSV has no limit.
EXPORT_XLSX_MAX_ROWS = int(os.environ.get("EXPORT_XLSX_MAX_ROWS", "").strip() or "100000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# Review (issue 12): may a lead approve a change they made themselves? "sole-lead" (only when
# no other active user may approve), "never" or "always".
REVIEW_SELF_APPROVAL = os.environ.get("REVIEW_SELF_APPROVAL", "sole-lead")
