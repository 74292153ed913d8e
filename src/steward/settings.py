"""Django settings for Steward.

Every setting a deployment may change is read from the environment through
``steward.config``; the README lists them. The defaults run Steward on one
machine with SQLite in ``var/``.
"""

from __future__ import annotations

import os
from datetime import timedelta

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from steward import paths
from steward.config import (
    env_bool,
    env_duration,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = paths.base_dir()
VAR_DIR = paths.var_dir()

DEBUG = env_bool("STEWARD_DEBUG", False)


def _secret_key() -> str:
    # No hard-coded fallback: the key comes from the environment or from a
    # file that 'steward run' creates once with a random value.
    key = os.environ.get("STEWARD_SECRET_KEY")
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    raise ImproperlyConfigured(
        "Set STEWARD_SECRET_KEY, or run 'steward run' once to create "
        f"{key_file}"
    )


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("STEWARD_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("STEWARD_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "govuk_frontend_django",
    "ninja",  # serves the API docs from local files, not a CDN
    # Steward's own apps, lowest first: each depends only on those above it.
    "steward.common",
    "steward.audit",
    "steward.accounts",
    "steward.organisations",
    "steward.actions",
    "steward.assets",
    "steward.controls",
    "steward.incidents",
    "steward.scans",
    "steward.trail",
    "steward.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "steward.common.sessions.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "steward.organisations.middleware.AccessMiddleware",
    "steward.common.middleware.DomainErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "steward.urls"
WSGI_APPLICATION = "steward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "steward.dashboard.navigation.navigation",
            ],
        },
    }
]

# Database: SQLite (WAL) in var/ unless DATABASE_URL names another.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'steward.sqlite3'}"),
        conn_max_age=env_int("STEWARD_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and the worker read while one writes.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Sign-in: Argon2 first, django-axes in front of the model backend.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation."
        "MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "django.contrib.auth.password_validation."
        "CommonPasswordValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation."
        "NumericPasswordValidator"
    },
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("STEWARD_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("STEWARD_LOCKOUT_MINUTES", 15))
# Lock the account, not the address: government users sit behind shared
# proxies, where locking an address would lock out a whole department.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's email field
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Steward"

# Sessions end after this many minutes without a request.
SESSION_COOKIE_AGE = 60 * env_int("STEWARD_SESSION_MINUTES", 30)
# Idle expiry slides without a write per request: common/sessions.py.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Served over TLS (behind a proxy that sets X-Forwarded-Proto): secure
# cookies and HSTS. Django sends HSTS only on secure requests in any case.
TLS = env_bool("STEWARD_TLS", False)
SESSION_COOKIE_SECURE = TLS
CSRF_COOKIE_SECURE = TLS
SECURE_SSL_REDIRECT = TLS
if TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script anywhere: every script is a file served from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Mail: written to files in var/mail unless SMTP is configured.
EMAIL_BACKEND = env_str(
    "STEWARD_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env_str("STEWARD_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("STEWARD_SMTP_PORT", 25)
EMAIL_HOST_USER = env_str("STEWARD_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env_str("STEWARD_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("STEWARD_SMTP_STARTTLS", False)
DEFAULT_FROM_EMAIL = env_str("STEWARD_FROM_EMAIL", "steward@localhost")
# Implicit TLS (usually port 465); STARTTLS above upgrades a plain link.
EMAIL_USE_SSL = env_bool("STEWARD_SMTP_SSL", False)
EMAIL_TIMEOUT = env_int("STEWARD_SMTP_TIMEOUT", 30)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured(
        "Set STEWARD_SMTP_SSL or STEWARD_SMTP_STARTTLS, not both"
    )


def _recipient(prefix: str, email: str) -> dict[str, str]:
    """Where one recipient of incident notifications takes them: an email
    address and, optionally, a webhook URL with its signing secret. The
    real ICO and Cabinet Office routes are not in the sources: deployments
    set them."""
    url = env_str(f"STEWARD_{prefix}_WEBHOOK_URL", "")
    secret = env_str(f"STEWARD_{prefix}_WEBHOOK_SECRET", "")
    if url and len(secret) < 32:
        raise ImproperlyConfigured(
            f"STEWARD_{prefix}_WEBHOOK_SECRET must be at least 32 "
            f"characters when STEWARD_{prefix}_WEBHOOK_URL is set"
        )
    if url and not url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"STEWARD_{prefix}_WEBHOOK_URL must start with https://"
        )
    return {
        "email": env_str(f"STEWARD_{prefix}_EMAIL", email),
        "webhook_url": url,
        "webhook_secret": secret,
    }


STEWARD_INCIDENT_RECIPIENTS = {
    "ico": _recipient("ICO", "breach-notifications@ico.example"),
    "cabinet_office": _recipient(
        "CABINET_OFFICE", "data-incidents@cabinetoffice.example"
    ),
}
# Delivery of notifications: attempts per channel, and the first wait
# before a retry (doubling each time: 1, 2, 4 ... minutes by default, so
# 8 attempts span about two hours, well inside the 72-hour window).
STEWARD_DELIVERY_ATTEMPTS = env_int("STEWARD_DELIVERY_ATTEMPTS", 8)
STEWARD_DELIVERY_BACKOFF_SECONDS = env_int(
    "STEWARD_DELIVERY_BACKOFF_SECONDS", 60
)
STEWARD_WEBHOOK_TIMEOUT = env_int("STEWARD_WEBHOOK_TIMEOUT", 10)
# Days from awareness within which every incident should be graded (the
# automated check): 3, because the grade decides whether the ICO must be
# told within 72 hours of awareness (UK GDPR Art 33(1)).
STEWARD_INCIDENT_GRADE_DAYS = env_int("STEWARD_INCIDENT_GRADE_DAYS", 3)
# Where links in emails point (no request to take it from in the worker).
STEWARD_BASE_URL = env_str(
    "STEWARD_BASE_URL", "http://127.0.0.1:8000"
).rstrip("/")

TASKS = {
    "default": {
        "BACKEND": env_str(
            "STEWARD_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("govuk-frontend", BASE_DIR / "node_modules" / "govuk-frontend" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Axes logs usernames on failures; keep personal data out of logs.
        "axes": {"level": "ERROR"},
    },
}

SERVICE_NAME = "Steward"

# The ledger: its own database (a file the regulator can be handed, or a
# PostgreSQL URL), the origin line of its checkpoints, and its signing key
# (created in var/ on first use unless given).
LEDGER_URL = env_str("STEWARD_LEDGER_URL",
                     f"sqlite:///{VAR_DIR / 'ledger.sqlite3'}")
LEDGER_ORIGIN = env_str("STEWARD_LEDGER_ORIGIN", "steward.localhost/ledger")
# How often one API key may post data-copy reports (batches).
STEWARD_INGEST_RATE = env_str("STEWARD_INGEST_RATE", "120/m")
LEDGER_KEY_FILE = env_str("STEWARD_LEDGER_KEY_FILE",
                          str(VAR_DIR / "ledger.key"))
# How often the background worker verifies the whole ledger (as the
# Ledger page's button does); 0s turns the schedule off.
LEDGER_VERIFY_EVERY = env_duration("STEWARD_LEDGER_VERIFY_EVERY",
                                   timedelta(days=1))

# GOV.UK Frontend's stylesheet asks for its fonts and images at /assets/.
WHITENOISE_ROOT = (
    BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
)

# API pages: bounded, so that no request can ask for an unbounded read.
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000
