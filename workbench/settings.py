"""Settings for Upgrade Workbench.

Everything that varies between deployments is read from the environment; `.env.example`
documents each variable. The defaults run a fresh checkout on SQLite for development.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from workbench.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"
SECRET_KEY = envstr("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

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
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "workbench",
    "projects",
    "requirements",
    "testing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "workbench.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

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
            ],
        },
    },
]

# Database: SQLite by default (WAL, busy timeout, immediate transactions so that two writers
# queue instead of failing); PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_TIMEOUT", 20),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:project-list"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation
LANGUAGE_CODE = envstr("LANGUAGE_CODE", "en")
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
FORMAT_MODULE_PATH = ["workbench.formats"]

# Static files, served by WhiteNoise (no CDN: every asset is vendored under static/)
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "data" / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. With DEBUG off the defaults are the strict ones `check --deploy` asks for;
# SECURE_PROXY_SSL_HEADER_NAME tells Django which header the reverse proxy sets for HTTPS.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if _proxy_header := envstr("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS")

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "workbench@localhost")

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "workbench.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Upgrade Workbench API",
    "DESCRIPTION": "Project-scoped API of Upgrade Workbench. Items are addressed by project code.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several fields or serializers get one name instead of a generated one.
    "ENUM_NAME_OVERRIDES": {
        "DepartmentEnum": "projects.models.Membership.Department",
        "ProcessKindEnum": "projects.models.Process.Kind",
        "FindingKindEnum": "projects.models.Finding.Kind",
        "RequirementCategoryEnum": "requirements.models.Requirement.Category",
        "RequirementStatusEnum": "requirements.models.Requirement.Status",
        "PriorityEnum": "requirements.models.Requirement.Priority",
        "RoleEnum": "projects.models.Membership.Role",
        "ComparisonStatusEnum": ["unchanged", "changed", "removed", "added"],
        # UAT cases have a role and a priority of their own, next to a member's role and a requirement's.
        "UATRoleEnum": "testing.models.UATCase.Role",
        "UATPriorityEnum": "testing.models.UATCase.Priority",
        # Data migration: a profiled extract's status, next to the many other statuses.
        "ExtractProfileStatusEnum": "projects.models.ExtractProfile.Status",
        # Go-live: a runbook task's and a run's kinds and states, a go/no-go criterion's kind and verdict.
        "CutoverTaskKindEnum": "projects.models.CutoverTask.Kind",
        "CutoverRunKindEnum": "projects.models.CutoverRun.Kind",
        "CutoverRunStatusEnum": "projects.models.CutoverRun.Status",
        "TaskRunStatusEnum": "projects.models.TaskRun.Status",
        "GoNoGoKindEnum": "projects.models.GoNoGoCriterion.Kind",
        "GoNoGoVerdictEnum": ["met", "not_met", "no_data"],
        "GoNoGoComparisonEnum": "projects.models.GoNoGoCriterion.Comparison",
        "GoNoGoOutcomeEnum": "projects.models.GoNoGoDecision.Outcome",
        "CutoverStrategyEnum": "projects.models.CutoverPlan.Strategy",
        "CutoverStreamEnum": "projects.models.CutoverTask.Stream",
        "CutoverTaskActionEnum": ["start", "complete", "fail", "skip"],
        "RagEnum": ["green", "amber", "red", "grey"],
        # …and the reconciliation verdict keeps the name it had before the go/no-go verdict came.
        "VerdictEnum": "projects.models.Reconciliation.Verdict",
        # SLA: an incident's status, the same in the incident and in each of its changes.
        "IncidentStatusEnum": "projects.models.Incident.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
