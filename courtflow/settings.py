"""CourtFlow settings, read from environment variables.

With no environment set, CourtFlow runs embedded on one machine: SQLite in WAL mode and
Celery on kombu's ``filesystem://`` broker, both under ``var/``. Production sets
``DATABASE_URL`` (PostgreSQL), ``CELERY_BROKER_URL`` (Redis), ``DJANGO_SECRET_KEY``,
``DJANGO_ALLOWED_HOSTS`` and ``COURTFLOW_ENV=production`` (see README, "Production").
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("COURTFLOW_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

COURTFLOW_ENV = env.str("COURTFLOW_ENV", default="embedded")  # embedded | production
PRODUCTION = COURTFLOW_ENV == "production"


def _embedded_secret_key() -> str:
    """A per-installation key kept in var/, so the repository never holds a secret."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _embedded_secret_key()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "django_celery_beat",
    "courtflow",
    "teams",
    "nodes",
    "cases",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "courtflow.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "courtflow.middleware.RequestSourceMiddleware",
    "courtflow.middleware.DomainErrorMiddleware",
    "courtflow.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "courtflow.urls"

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
                "courtflow.context_processors.courtflow",
            ],
        },
    },
]

WSGI_APPLICATION = "courtflow.wsgi.application"

# --- Database -------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode. IMMEDIATE transactions take the write lock at
# BEGIN, so two writers queue instead of failing half-way with "database is locked".
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'courtflow.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable database fails a request within seconds (a clean 503 page), not after
    # the operating system's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "courtflow_language"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (served by whitenoise; nothing is loaded from the internet) ----------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Prepared exports and monthly reports (files written by the worker, downloaded through the
# application, which checks who may read them).
EXPORT_DIR = Path(env.str("COURTFLOW_EXPORT_DIR", default=str(VAR_DIR / "exports")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Tokens first: a system-to-system client gets 401 (with WWW-Authenticate) rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "courtflow.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON only: a form or multipart body where JSON is expected is refused (415), not guessed at.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "courtflow.api.CourtFlowAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "courtflow.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CourtFlow API",
    "DESCRIPTION": "Case-flow management for people's courts (审判流程节点管控平台).",
    "VERSION": "1.0.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "StaffCategoryEnum": "teams.roles.StaffCategory",
        "RoleEnum": "teams.roles.Role",
        "PositionEnum": "teams.roles.Position",
        "PartyRoleEnum": "cases.models.Party.Role",
        "PartyKindEnum": "cases.models.Party.Kind",
        "DivisionKindEnum": "teams.models.Division.Kind",
        "TeamTypeKindEnum": "teams.models.TeamType.Kind",
        "ApprovalKindEnum": "cases.models.Approval.Kind",
        "SuspensionKindEnum": "cases.models.Suspension.Kind",
        "ProcedureEnum": "nodes.vocab.Procedure",
        "CourtLevelEnum": "teams.models.Court.Level",
    },
}

# --- Celery ---------------------------------------------------------------------------
# Embedded default: kombu's filesystem transport under var/celery (no server to run).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    for _d in (_queue_dir, _processed_dir, _control_dir):
        _d.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "store_processed": False,
        "control_folder": str(_control_dir),
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A broker that is down must not hold a request: connecting gives up at once (the work
        # is already recorded in the database and is sent later; docs/resilience.md).
        "socket_connect_timeout": env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=1.0),
        # A connection that died without closing must not hang a publish for ever.
        "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=5.0),
        # A task whose worker died before acknowledging it is handed out again after this
        # long (tasks are idempotent). Celery's default; tests shorten it.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing while the broker is down gives up within about half a second: callers record the
# work first (notifications, export jobs) and beat tasks send it once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.3,
}
# Node instances per sweep batch (each batch is one transaction).
COURTFLOW_SWEEP_BATCH_SIZE = env.int("COURTFLOW_SWEEP_BATCH_SIZE", default=1000)

# --- Mail -----------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="courtflow@localhost")

# --- Security (production) ------------------------------------------------------------
SECURE = env.bool("DJANGO_SECURE", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_AGE", default=12 * 3600)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=SECURE)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and appends the client's
# address to X-Forwarded-For, which sign-in throttling then reads).
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Every response (pages, admin, API, static files) carries this policy
# (courtflow.middleware.ContentSecurityPolicyMiddleware): only the application's own origin;
# no inline scripts, styles or event handlers anywhere.
COURTFLOW_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# Sign-in throttling (teams.signin): this many failed sign-ins for one user name within
# the window pause sign-in for that name; a higher limit applies per client address, because
# a whole court's offices often reach the server through one address.
COURTFLOW_SIGNIN_MAX_FAILURES = env.int("COURTFLOW_SIGNIN_MAX_FAILURES", default=5)
COURTFLOW_SIGNIN_MAX_FAILURES_PER_ADDRESS = env.int(
    "COURTFLOW_SIGNIN_MAX_FAILURES_PER_ADDRESS", default=20
)
COURTFLOW_SIGNIN_WINDOW_SECONDS = env.int("COURTFLOW_SIGNIN_WINDOW_SECONDS", default=15 * 60)

# Request bodies. Forms are small: 2 MB of fields, at most 1,000 of them (Django's default,
# kept on purpose: no CourtFlow form comes near it; a bigger body is refused with a 400).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Uploads (calendar and catalog CSV in the admin) are refused above this size while they
# stream in (courtflow.uploads.SizeLimitUploadHandler); every file that is accepted fits in
# memory, so none is ever written to a temporary file.
COURTFLOW_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = COURTFLOW_UPLOAD_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FILES = 1
FILE_UPLOAD_HANDLERS = [
    "courtflow.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- CourtFlow ------------------------------------------------------------------------
COURTFLOW_NAME = _("CourtFlow")
# Only the test settings allow `manage.py flush` to empty the append-only audit table.
COURTFLOW_AUDIT_ALLOW_FLUSH = False
