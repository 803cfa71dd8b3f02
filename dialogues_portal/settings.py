"""Settings for the portal, read from the environment.

With no variable set the portal runs in development mode on SQLite. Every setting is documented in
`.env.example`. A malformed value fails at start-up with ImproperlyConfigured naming the variable.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"


def env_str(name, default=""):
    """A string from the environment, or from the file named by <NAME>_FILE (mounted secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_path}: {error}") from error
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f'{name} must be "True" or "False", not {value!r}')
    return value == "True"


def env_int(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_rate(name, default):
    """A DRF throttle rate ("120/minute"), or None for "off" (no limit: e.g. a load test from one
    address, or a proxy in front that limits already)."""
    value = env_str(name) or default
    if value == "off":
        return None
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f'{name} must be a rate such as "120/minute", or "off", not {value!r}')
    return value


# DJANGO_ENV selects the mode: "development" (the default: DEBUG on, SQLite, plain HTTP) or
# "production" (DEBUG off, a real secret key required, every protection on).
DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
if DJANGO_ENV not in ("development", "production"):
    raise ImproperlyConfigured(f'DJANGO_ENV must be "development" or "production", not {DJANGO_ENV!r}')
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
if PRODUCTION and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, as django-modeltranslation asks
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "import_export",
    "axes",
    "django_tasks_db",
    "dialogues",
    "seminars",
    "funding",
    "revisions",
    "dialogues_portal",
]

MIDDLEWARE = [
    "dialogues_portal.request_log.RequestLogMiddleware",
    # Outside every middleware that may read the database: a 503, not a 500, while it is down.
    "dialogues_portal.database_unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above whitenoise so that static files get the same protective headers as pages.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Unused methods and NUL bytes in paths are refused here, before any view (request_guards.py).
    "dialogues_portal.request_guards.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: an editor's requests read from the primary (dialogues_portal/db_router.py).
    "dialogues_portal.db_router.PinToPrimaryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: a stored listing is served after the others have seen the request (response_cache.py).
    "dialogues_portal.response_cache.PublicResponseCacheMiddleware",
]

ROOT_URLCONF = "dialogues_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "dialogues_portal.wsgi.application"

# --- Database: SQLite by default, PostgreSQL (or anything dj-database-url reads) via DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
            )
        }
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {error}") from error
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH") or str(BASE_DIR / "db.sqlite3"),
        }
    }

# A read replica (PostgreSQL streaming replication), used for reads when DATABASE_REPLICA_URL is set;
# writes, and reads after a write or by an editor, stay on the primary (dialogues_portal/db_router.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(
            DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is malformed: {error}") from error
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # the test runner creates no second database
DATABASE_ROUTERS = ["dialogues_portal.db_router.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out client is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Internationalisation: the interface speaks English and Russian.
LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["dialogues_portal.formats"]  # British dates in English
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The records' own texts in both languages (<app>/translation.py): `name` reads `name_ru` on a
# Russian page and falls back to `name_en` while no editor has entered the Russian.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"  # a slug comes from the English name
# `Topic(name=...)` fills the English too, whatever the active language: a record made through the
# API or an import in Russian is never left without its English text.
MODELTRANSLATION_AUTO_POPULATE = "required"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files: served by the portal itself through whitenoise, compressed, hashed names.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development whitenoise serves straight from the apps' static folders; production serves the
# collected, compressed, hashed files of STATIC_ROOT (manage.py collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Cache: local memory unless a shared Redis is configured.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # An unreachable Redis is a cache miss, not a 500 (dialogues_portal/cache_backend.py); the short
    # timeouts bound what a Redis that does not answer costs a request before the backend pauses it.
    CACHES = {
        "default": {
            "BACKEND": "dialogues_portal.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # Room for every stored page's sections and figures: with the default 300 entries the pages of
    # aggregates (about 25 entries each, per language) pushed one another out. Most entries are
    # counts or a few KB of HTML.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}
# Aggregates (dialogues/cache.py) are dropped on every content change; the timeout only bounds how
# long another process's local-memory cache, which hears of no change, can serve an old figure.
# Several processes or servers should therefore share Redis, where invalidation is immediate for all.
AGGREGATE_CACHE_TIMEOUT = env_int("AGGREGATE_CACHE_TIMEOUT", 3600 if REDIS_URL else 60)
# Visitors' whole pages and API lists, in the same cache (dialogues_portal/response_cache.py). On
# where every process shares that cache: with Redis, or in development (one process). In production
# without Redis each worker would keep its own copies, and a page listing a record unpublished
# meanwhile could be served by another worker until AGGREGATE_CACHE_TIMEOUT.
PUBLIC_RESPONSE_CACHE = env_bool("PUBLIC_RESPONSE_CACHE", bool(REDIS_URL) or not PRODUCTION)
# Once an edit is committed the task worker renders again the pages of aggregates' contents it
# dropped (dialogues_portal/content_refresh.py); worth it only where the worker shares the cache.
REFRESH_CONTENT_AFTER_EDITS = env_bool("REFRESH_CONTENT_AFTER_EDITS", bool(REDIS_URL))

# Sessions in the database (Django's default, stated here on purpose): any app server can serve any
# request, so nothing is kept on local disk or in one process's memory.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Security. Development keeps plain HTTP; production turns every protection on.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# How many reverse proxies stand in front of the portal, each appending to X-Forwarded-For: the
# client's address is read that many entries from the right (dialogues_portal/client_address.py).
# 0, a direct deployment: REMOTE_ADDR. Never more than there are: the client could then choose it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")

# --- Uploads (admin imports): small and bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- django-axes: lock an admin login out after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
# By the pair (user name, client address): by address alone, everyone behind the proxy (or one
# office) would lock everyone out; by name alone, anyone could lock a named editor out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "dialogues_portal.client_address.client_address"
AXES_RESET_ON_SUCCESS = True

# An API token is refused this many days after it was issued (dialogues_portal/tokens.py).
API_TOKEN_LIFETIME_DAYS = env_int("API_TOKEN_LIFETIME_DAYS", 90)
if API_TOKEN_LIFETIME_DAYS < 1:
    raise ImproperlyConfigured(f"API_TOKEN_LIFETIME_DAYS must be 1 or more, not {API_TOKEN_LIFETIME_DAYS}")


# --- The About page: where to report a correction, and the data's licence, each shown only when
# set. The project names no licence for its data, so none is assumed: the operator states it.
def env_checked(name, validator, expected):
    value = env_str(name).strip()
    if value:
        try:
            validator(value)
        except ValidationError:
            raise ImproperlyConfigured(f"{name} must be {expected}, not {value!r}") from None
    return value


PORTAL_CONTACT_URL = env_checked("PORTAL_CONTACT_URL", URLValidator(schemes=["http", "https"]), "an http(s) address")
PORTAL_CONTACT_EMAIL = env_checked("PORTAL_CONTACT_EMAIL", validate_email, "an e-mail address")
DATA_LICENCE = env_str("DATA_LICENCE").strip()  # its name, as the licence gives it
DATA_LICENCE_URL = env_checked("DATA_LICENCE_URL", URLValidator(schemes=["http", "https"]), "an http(s) address")

# --- REST API (docs/api.md). Filtering and sorting come from the FilterSets alone (`ordering` is one
# of their filters), so DRF's OrderingFilter is not used: it would read the same parameter.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dialogues_portal.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["dialogues.api.permissions.ModelPermissionsOrAnonReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["dialogues.api.filtering.FilterBackend"],
    # Writes are JSON (415 otherwise), never nested more deeply than a record needs (a 400).
    "DEFAULT_PARSER_CLASSES": ["dialogues_portal.api.parsers.PortalJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "dialogues.api.schema.PortalAutoSchema",  # anonymous reads, common errors
    "DEFAULT_THROTTLE_CLASSES": ["dialogues_portal.throttling.ClientAnonRateThrottle"],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # for DRF's own readings; the throttle uses client_address
    "DEFAULT_THROTTLE_RATES": {"anon": env_rate("API_ANON_RATE", "120/minute")},
    "DEFAULT_PAGINATION_CLASS": "dialogues.api.pagination.ListPagination",
    "PAGE_SIZE": 50,  # the default; `page_size` goes up to 500 (dialogues/api/pagination.py)
    # `format` is a filter of dialogue rounds; clients choose JSON or the browsable API by `Accept`.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EU–Central Asia Human Rights Dialogues API",
    "DESCRIPTION": (BASE_DIR / "docs" / "api.md").read_text(encoding="utf-8"),  # shown at /api/v1/docs/
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,  # references read as objects and are written as identifiers
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # no deep links: Swagger UI puts each one inside its operation's button (axe: nested-interactive)
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PublicationStatusEnum": "dialogues.publishing.PublicationStatus",
        "DatePrecisionEnum": "dialogues.partial_dates.DatePrecision",
        "QualifierEnum": "dialogues.choices.Qualifier",
        "SourceKindEnum": "dialogues.models.SourceKind",
        "OrganisationKindEnum": "dialogues.models.OrganisationKind",
        "SeminarKindEnum": "seminars.models.SeminarKind",
        "ProjectStatusEnum": "funding.models.ProjectStatus",
        "ProjectSourceKindEnum": "funding.models.ProjectSourceKind",  # a source's kind is SourceKindEnum
        "RevisionStatusEnum": "revisions.models.RevisionStatus",  # both fields are named status
    },
}

# --- CORS: GET from any origin, nothing else cross-origin.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# Logs go to standard output: JSON lines in production (LOG_FORMAT=json), plain text otherwise.
# Request lines (dialogues_portal.request_log) carry no IP address, user, cookie or query string.
LOG_FORMAT = env_str("LOG_FORMAT") or ("json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "dialogues_portal.request_log.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        # The request log's own line replaces Django's, which would repeat it with less structure.
        "django.server": {"level": "WARNING"},
        "dialogues_portal.requests": {"level": env_str("REQUEST_LOG_LEVEL") or ("INFO" if PRODUCTION else "WARNING")},
    },
}

# --- Spreadsheet import and export in the admin (django-import-export; dialogues/import_export.py).
# Importing creates records, so it needs the model's "add" permission (Editors and Publishers);
# exporting needs "view". Every import runs in one transaction: one invalid row and nothing is written.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False  # each imported record appears in the admin's log too
# The uploaded file waits between the preview and the confirmation in the database, neither in the
# cache (the confirmation failed while Redis was down) nor in a local temporary folder (with several
# app servers the confirmation may reach another one): dialogues_portal/import_storage.py.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "dialogues_portal.import_storage.DatabaseStorage"
# The largest spreadsheet accepted (the upload limits above do not cap file uploads themselves).
IMPORT_MAX_FILE_SIZE = env_int("IMPORT_MAX_FILE_SIZE", FILE_UPLOAD_MAX_MEMORY_SIZE)
# An .xlsx is a zip: what it holds once unpacked, checked before it is read (a zip bomb is small)
IMPORT_MAX_INFLATED_SIZE = env_int("IMPORT_MAX_INFLATED_SIZE", 100 * 1024 * 1024)
# A file with more record rows than this is checked and imported by the task worker, not in the
# request (which gunicorn stops after GUNICORN_TIMEOUT): the editor's page shows how far it is.
# About 1,000 rows take a few seconds; a full 5 MB file, about 15,000 rows, takes far longer.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 1000)
# The largest IATI activity file the admin's upload takes (checked and imported by the task worker);
# a larger one goes through `manage.py import_iati`, which streams it from disk.
IATI_UPLOAD_MAX_SIZE = env_int("IATI_UPLOAD_MAX_SIZE", 50 * 1024 * 1024)

# --- Background tasks (Django's tasks framework): stored in the database, run by
# `manage.py db_worker` (django-tasks-db), a process beside the app servers (README: Deployment).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Backups (manage.py backup / restore): JSON that keeps datetimes to the microsecond.
SERIALIZATION_MODULES = {"backup-json": "dialogues_portal.backup_format"}
