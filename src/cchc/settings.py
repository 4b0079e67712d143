"""Settings for cchc, driven by environment variables (see docs/operations.md)."""

from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from cchc.env import database_from_url, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("CCHC_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("CCHC_DEBUG", False)
SECRET_KEY = env_str("CCHC_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("CCHC_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("CCHC_SECRET_KEY must be set in production.")
    # A fixed development key keeps sessions across restarts of the demo; production sets its own.
    SECRET_KEY = "cchc-development-key-not-for-production"

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "cchc.core",
    "cchc.units",
    "cchc.accounts",
    "cchc.workdays",
    "cchc.kit",
    "cchc.plans",
    "cchc.onestop",
    "cchc.parindex",
    "cchc.surveys",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
# Serve straight from the app folders so that `make demo` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

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
    }
}

# One-stop imports read and write in batches of this many rows (memory stays bounded).
CCHC_IMPORT_BATCH_ROWS = env_int("CCHC_IMPORT_BATCH_ROWS", 100_000)
# The largest file the one-stop import page accepts (the command line has no limit).
CCHC_ONESTOP_MAX_UPLOAD_BYTES = env_int("CCHC_ONESTOP_MAX_UPLOAD_BYTES", 500 * 1024 * 1024)

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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("CCHC_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated call gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": env_int("CCHC_API_PAGE_SIZE", 50),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cchc.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cchc API",
    "DESCRIPTION": "Administrative-reform (CCHC) programme of a province: units, users, calendar, audit.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

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
