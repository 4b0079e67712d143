"""Settings for cchc, driven by environment variables (see docs/operations.md)."""

import datetime
import os
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from cchc.env import database_from_url, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("CCHC_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("CCHC_DEBUG", False)
# The secret key signs sessions, password-reset links and the public forms' anti-spam stamps, so it is
# never a published value: CCHC_SECRET_KEY, or else the file CCHC_SECRET_KEY_FILE (default
# <var>/secret_key, which `make demo`, `make serve` and `make test` create once with random bytes).
# Without either the process refuses to start, except in debug and under the test runner (pytest sets
# PYTEST_VERSION), which get a random key of their own that lasts as long as the process.
SECRET_KEY = env_str("CCHC_SECRET_KEY", "").strip()
SECRET_KEY_FILE = Path(env_str("CCHC_SECRET_KEY_FILE", str(VAR_DIR / "secret_key")))
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if not (DEBUG or os.environ.get("PYTEST_VERSION")):
        raise ImproperlyConfigured(
            f"No secret key: set CCHC_SECRET_KEY to a long random value, or put one in the file "
            f"{SECRET_KEY_FILE} (CCHC_SECRET_KEY_FILE), e.g. with `python3 scripts/secret_key.py "
            f"{SECRET_KEY_FILE}`. See docs/operations.md."
        )
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("CCHC_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CCHC_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "cchc.core",
    "cchc.units",
    "cchc.accounts",
    "cchc.workdays",
    "cchc.kit",
    "cchc.notifications",
    "cchc.webhooks",
    "cchc.plans",
    "cchc.onestop",
    "cchc.parindex",
    "cchc.surveys",
    "cchc.exchange",
    "django_tasks",
    "django_tasks_db",
    "cchc.web",
    # Development tools on top of everything: `cchc demo` and `cchc bench`; nothing imports them.
    "cchc.demo",
    "cchc.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cchc.accounts.middleware.SessionTimeoutMiddleware",
    "cchc.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

# Every form field is drawn by one template (cchc.kit.forms).
FORM_RENDERER = "cchc.kit.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.web.context_processors.site",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}")),
}
# Production server (docs/operations.md): each web thread keeps its PostgreSQL connection for
# CCHC_DB_CONN_MAX_AGE seconds (0: one per request) and checks it before a request reuses it, so that
# a database restart costs only the requests in flight, not a 500 for every stale connection after it.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CCHC_DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Read replica (docs/operations.md, "Read replica"): with DATABASE_REPLICA_URL, dashboards, statistics
# and exports read from a PostgreSQL streaming replica (cchc.core.replica), unless it is more than
# CCHC_REPLICA_MAX_LAG_SECONDS behind or does not answer (asked once every CCHC_REPLICA_CHECK_SECONDS).
# A mirror for the tests: the test database on the primary reaches the replica by replication.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = database_from_url(env_str("DATABASE_REPLICA_URL", ""))
    DATABASES["replica"]["CONN_MAX_AGE"] = env_int("CCHC_DB_CONN_MAX_AGE", 60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["cchc.core.replica.ReplicaRouter"]
CCHC_REPLICA_MAX_LAG_SECONDS = env_int("CCHC_REPLICA_MAX_LAG_SECONDS", 30)
CCHC_REPLICA_CHECK_SECONDS = env_int("CCHC_REPLICA_CHECK_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cchc.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Only production collects files (CCHC_STATIC_ROOT, `cchc collectstatic`); the demo serves from the apps.
STATIC_ROOT = env_str("CCHC_STATIC_ROOT", "") or None
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("CCHC_MEDIA_ROOT", str(VAR_DIR / "media")))
# Static files, served by whitenoise in the web process. Without CCHC_STATIC_ROOT (the demo, the
# tests) they come straight from the app folders, so that `make demo` needs no collectstatic step.
# With it (production: `cchc collectstatic` at each deployment) they come from that folder with
# compressed copies and content-hashed names that browsers may cache for a year.
WHITENOISE_USE_FINDERS = STATIC_ROOT is None
WHITENOISE_AUTOREFRESH = DEBUG
if STATIC_ROOT is not None:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "cchc.web.static_storage.StaticStorage"},
    }

# Background jobs (imports): the database queue of django-tasks, worked by `cchc db_worker`;
# CCHC_TASKS_BACKEND=immediate runs them in the request instead (tests, one-off scripts).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[env_str("CCHC_TASKS_BACKEND", "database")]}}

# Progress of running jobs is shared between the worker and the web server through this cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("CCHC_CACHE_DIR", str(VAR_DIR / "cache")),
        # Past MAX_ENTRIES (300 by default) the file cache deletes a third of its entries at random,
        # expired or not, a running import's heartbeat or a cancel request among them: the sweep
        # would then fail a live job. The dashboard's per-minute counts alone pass 300 in hours.
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

# One-stop imports read and write in batches of this many rows (memory stays bounded).
CCHC_IMPORT_BATCH_ROWS = env_int("CCHC_IMPORT_BATCH_ROWS", 100_000)
# A first load on PostgreSQL builds its month tables' keys and indexes on this many connections at once
# (ingest/month_tables.py); 0: one per core.
CCHC_IMPORT_INDEX_CONNECTIONS = env_int("CCHC_IMPORT_INDEX_CONNECTIONS", 0)
# On PostgreSQL imports COPY their rows in the binary format (ingest/binary.py); false goes back to CSV,
# to compare the two or should a server refuse the binary form.
CCHC_IMPORT_BINARY_COPY = env_bool("CCHC_IMPORT_BINARY_COPY", True)
# Import jobs that outlive their worker (kill -9, a crash, a reboot): a running job's worker marks it
# alive in the cache every CCHC_JOB_HEARTBEAT_SECONDS; a running job silent for longer than
# CCHC_JOB_HEARTBEAT_TIMEOUT, or a job waiting longer than CCHC_JOB_QUEUED_TIMEOUT whose task is no
# longer in the queue, is failed by the sweep; a job stops at its next batch once it has run for
# CCHC_JOB_TIME_LIMIT_SECONDS (docs/operations.md, "Background worker").
CCHC_JOB_HEARTBEAT_SECONDS = env_int("CCHC_JOB_HEARTBEAT_SECONDS", 5)
CCHC_JOB_HEARTBEAT_TIMEOUT = env_int("CCHC_JOB_HEARTBEAT_TIMEOUT", 60)
CCHC_JOB_QUEUED_TIMEOUT = env_int("CCHC_JOB_QUEUED_TIMEOUT", 15 * 60)
CCHC_JOB_TIME_LIMIT_SECONDS = env_int("CCHC_JOB_TIME_LIMIT_SECONDS", 2 * 60 * 60)
# The live one-stop feed waits this long, then twice, four times as long… before retrying a request that
# timed out or got a 5xx answer (docs/onestop-feed.md).
CCHC_FEED_BACKOFF_SECONDS = env_int("CCHC_FEED_BACKOFF_MS", 2000) / 1000
# Finished feed runs older than this many days leave the source's page (those that set records aside stay).
CCHC_FEED_RUNS_KEEP_DAYS = env_int("CCHC_FEED_RUNS_KEEP_DAYS", 90)
# The largest file the one-stop import page accepts (the command line has no limit).
CCHC_ONESTOP_MAX_UPLOAD_BYTES = env_int("CCHC_ONESTOP_MAX_UPLOAD_BYTES", 500 * 1024 * 1024)
# How long the counts of dossiers pending now may be shared between requests (seconds; 0: counted
# for each request). An import of dossiers makes them out of date at once (onestop/queries/live.py).
CCHC_ONESTOP_LIVE_SECONDS = env_int("CCHC_ONESTOP_LIVE_SECONDS", 60)
# Outgoing webhooks (docs/webhooks.md): how long to wait for a receiver's answer, how many attempts a
# delivery gets, and the wait before the first retry (doubled after each further failure).
CCHC_WEBHOOK_TIMEOUT_SECONDS = env_int("CCHC_WEBHOOK_TIMEOUT_SECONDS", 10)
CCHC_WEBHOOK_MAX_ATTEMPTS = env_int("CCHC_WEBHOOK_MAX_ATTEMPTS", 6)
CCHC_WEBHOOK_RETRY_SECONDS = env_int("CCHC_WEBHOOK_RETRY_SECONDS", 60)

# Untrusted files (cchc.core.untrusted): every upload is bounded before a parser reads it
# (docs/operations.md, "Upload limits"). The small imports (units, surveys, PAR index, plan
# workbooks) and the API's JSON batches take at most CCHC_UPLOAD_MAX_BYTES; an XLSX or DOCX may
# unpack to at most CCHC_ZIP_MAX_INFLATED_BYTES (the one-stop import, which takes millions of rows,
# to CCHC_ONESTOP_ZIP_MAX_INFLATED_BYTES) and never to more than CCHC_ZIP_MAX_RATIO times its
# packed size; a DOCX's XML, which python-docx holds as a tree, to CCHC_DOCX_MAX_XML_BYTES.
CCHC_UPLOAD_MAX_BYTES = env_int("CCHC_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
CCHC_ZIP_MAX_INFLATED_BYTES = env_int("CCHC_ZIP_MAX_INFLATED_BYTES", 64 * 1024 * 1024)
CCHC_ONESTOP_ZIP_MAX_INFLATED_BYTES = env_int("CCHC_ONESTOP_ZIP_MAX_INFLATED_BYTES", 2 * 1024**3)
# A JSON file is parsed whole, into several times its size in memory; CSV streams.
CCHC_ONESTOP_JSON_MAX_BYTES = env_int("CCHC_ONESTOP_JSON_MAX_BYTES", 100 * 1024 * 1024)
CCHC_ZIP_MAX_RATIO = env_int("CCHC_ZIP_MAX_RATIO", 100)
CCHC_ZIP_MAX_MEMBERS = env_int("CCHC_ZIP_MAX_MEMBERS", 10_000)
CCHC_DOCX_MAX_XML_BYTES = env_int("CCHC_DOCX_MAX_XML_BYTES", 20 * 1024 * 1024)
CCHC_XML_MAX_DEPTH = env_int("CCHC_XML_MAX_DEPTH", 256)
CCHC_PDF_MAX_PAGES = env_int("CCHC_PDF_MAX_PAGES", 500)
# Tables: rows (not for the one-stop import), columns, and characters in a cell (Excel's own limit).
CCHC_TABLE_MAX_ROWS = env_int("CCHC_TABLE_MAX_ROWS", 200_000)
CCHC_TABLE_MAX_COLUMNS = env_int("CCHC_TABLE_MAX_COLUMNS", 500)
CCHC_CELL_MAX_CHARS = env_int("CCHC_CELL_MAX_CHARS", 32_767)

EMAIL_BACKEND = env_str("CCHC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("CCHC_FROM_EMAIL", "cchc@localhost")

# Content-Security-Policy, always on (development, tests, production alike, so that a page that breaks
# it fails its tests): scripts, styles and everything else come from this server's own files, never
# from inline code, so injected markup cannot run. Templates pass data to scripts with json_script
# or data-* attributes. Images may also be data: URLs, which Bootstrap's stylesheet uses for icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# HTTPS (docs/operations.md, "Sign-in and HTTPS"): behind nginx, CCHC_PROXY_SSL_HEADER names the META key
# of the header by which the proxy says the request came over HTTPS (HTTP_X_FORWARDED_PROTO, value
# "https"); trust it only when the proxy always sets it. Everything is off by default, for the demo.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("CCHC_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("CCHC_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("CCHC_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CCHC_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("CCHC_HSTS_PRELOAD", False)
_PROXY_SSL_HEADER = env_str("CCHC_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https") if _PROXY_SSL_HEADER else None

# Sign-in protection (cchc.accounts). Sessions end after CCHC_SESSION_IDLE_MINUTES without a request and
# CCHC_SESSION_MAX_HOURS after signing in, whatever the activity; the cookie lasts no longer either.
CCHC_SESSION_IDLE_MINUTES = env_int("CCHC_SESSION_IDLE_MINUTES", 30)
CCHC_SESSION_MAX_HOURS = env_int("CCHC_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = CCHC_SESSION_MAX_HOURS * 60 * 60
# API tokens expire this many hours after they were issued; signing out or a new password deletes them.
CCHC_API_TOKEN_HOURS = env_int("CCHC_API_TOKEN_HOURS", 12)
# Named API keys (the page "Khoá API") end this many days after they were made, unless given a date.
CCHC_API_KEY_DAYS = env_int("CCHC_API_KEY_DAYS", 365)
# …and no later than this many days after they were made: a key forgotten in a script ends one day.
CCHC_API_KEY_MAX_DAYS = env_int("CCHC_API_KEY_MAX_DAYS", 730)
# Roles (codes of accounts.Role, e.g. administrator,reform_office) whose holders must sign in with a
# one-time code (TOTP) as well as their password; anyone else may turn it on for themselves.
CCHC_REQUIRE_2FA_ROLES = env_list("CCHC_REQUIRE_2FA_ROLES", [])
OTP_TOTP_ISSUER = env_str("CCHC_OTP_ISSUER", "CCHC")
# The admin's pages for authenticator devices never show a device's secret or its QR code: whoever reads
# them could make the owner's codes without the owner's phone.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# django-axes counts failed sign-ins on the web page, the admin and the API token endpoint: after
# CCHC_LOGIN_FAILURE_LIMIT failures for one user name, or from one address, further attempts for it are
# refused for CCHC_LOGIN_LOCKOUT_MINUTES (also with the right password). A success clears the failures
# of its own user name only (cchc.accounts.signals): clearing the address's too, as django-axes would,
# let anyone with one account of their own guess other people's passwords from one address unchecked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("CCHC_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("CCHC_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
# Attempts during a lockout do not push its end further away, so the page can say when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "cchc.core.clients.client_address"
AXES_LOCKOUT_CALLABLE = "cchc.accounts.signin.lockout_response"
AXES_VERBOSE = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Named API keys (accounts.ApiToken, "cchc_…") first; then the older per-user tokens. A token
        # class first, so an unauthenticated call gets 401 with a WWW-Authenticate header.
        "cchc.accounts.api_token_auth.ApiTokenAuthentication",
        "cchc.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": env_int("CCHC_API_PAGE_SIZE", 50),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cchc.core.api.exception_handler",
    # DRF's parsers, with deeply nested JSON refused as bad input rather than a server error.
    "DEFAULT_PARSER_CLASSES": [
        "cchc.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # JSON only: DRF's browsable pages style themselves inline, which the Content-Security-Policy
    # refuses; people browse the API through its documentation page (/api/docs/) instead.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cchc API",
    "DESCRIPTION": "Administrative-reform (CCHC) programme of a province: units, users, calendar, audit.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # `cchc check --deploy` builds the schema and warns about ambiguities; these settle them.
    "PREPROCESSING_HOOKS": ["cchc.core.api.schema_without_aliases"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cchc.core.api.schema_with_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "cchc.plans.models.tasks.TaskStatus",
        "SipasResponseChannelEnum": "cchc.surveys.models.ResponseChannel",
    },
}

# Data exchange (docs/exchange.md): the national endpoint, the province's code and signing key.
CCHC_NATIONAL = env_bool("CCHC_NATIONAL", False)
# On the national instance, the code of the top-level unit that stands for the Ministry of Home Affairs:
# a role held on it covers every province as well (the provinces are top-level units, not below it).
CCHC_NATIONAL_AUTHORITY_CODE = env_str("CCHC_NATIONAL_AUTHORITY_CODE", "")
CCHC_PROVINCE_CODE = env_str("CCHC_PROVINCE_CODE", "")
CCHC_EXCHANGE_KEY_FILE = env_str("CCHC_EXCHANGE_KEY_FILE", "")
CCHC_EXCHANGE_MAX_BYTES = env_int("CCHC_EXCHANGE_MAX_BYTES", 50 * 1024 * 1024)

# How long a process trusts its cached working-day calendar before re-reading overrides.
CCHC_CALENDAR_CACHE_SECONDS = env_int("CCHC_CALENDAR_CACHE_SECONDS", 60)

# Citizens' public forms (survey, feedback): how many submissions one client may make per hour and
# form, and how many seconds must pass between showing a form and sending it (quicker ones are bots).
CCHC_PUBLIC_POSTS_PER_HOUR = env_int("CCHC_PUBLIC_POSTS_PER_HOUR", 20)
CCHC_PUBLIC_MIN_SECONDS = env_int("CCHC_PUBLIC_MIN_SECONDS", 3)
# Behind nginx, the META key of the header carrying the citizen's address (e.g. HTTP_X_REAL_IP), so that
# the public forms' rate limit counts citizens, not the proxy. Empty: REMOTE_ADDR.
CCHC_CLIENT_ADDRESS_HEADER = env_str("CCHC_CLIENT_ADDRESS_HEADER", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CCHC_LOG_LEVEL", "WARNING")},
}
