"""Vigil settings, read from the environment (VIGIL_*, DATABASE_URL).

Modes (VIGIL_MODE):
  development  the default; DEBUG on, SQLite under var/, second factor required.
  demo         set by `vigil demo`: synthetic data, second factor skipped, every page says so.
  production   refuses to start without VIGIL_SECRET_KEY and VIGIL_ALLOWED_HOSTS;
               secure cookies, HSTS, DEBUG off.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from vigil.config.env import env_bool, env_choice, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(env_str("VIGIL_VAR_DIR", str(BASE_DIR / "var")))

MODE = env_choice("VIGIL_MODE", ("development", "demo", "production"), "development")
PRODUCTION = MODE == "production"
DEMO_MODE = MODE == "demo"
# Demo mode skips the second factor, so only `vigil demo` may switch it on (it sets this
# marker before Django starts), and only on the embedded SQLite database: never a server
# started by manage.py, gunicorn or ASGI, nor a shared database.
DEMO_LAUNCH_MARKER = "vigil demo"
if DEMO_MODE and env_str("VIGIL_DEMO_LAUNCHED_BY") != DEMO_LAUNCH_MARKER:
    raise ImproperlyConfigured(
        "VIGIL_MODE=demo is switched on by the `vigil demo` command only; use "
        "development or production otherwise."
    )
if DEMO_MODE and not env_str("DATABASE_URL", "sqlite:").startswith("sqlite:"):
    raise ImproperlyConfigured(
        "Demo mode runs on the embedded SQLite database only: unset DATABASE_URL."
    )
DEBUG = env_bool("VIGIL_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("VIGIL_DEBUG cannot be on in production mode.")

SECRET_KEY = env_str("VIGIL_SECRET_KEY")
ALLOWED_HOSTS = env_list("VIGIL_ALLOWED_HOSTS")
if PRODUCTION:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "VIGIL_SECRET_KEY must be set to a random string of at least 50 characters "
            "in production mode."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("VIGIL_ALLOWED_HOSTS must list the host names Vigil serves.")
else:
    # Development and demo run on this machine only; the key never leaves it.
    SECRET_KEY = SECRET_KEY or "vigil-insecure-development-key-not-for-production-use-0123456789"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "ninja",
    "vigil.core",
    "vigil.accounts",
    "vigil.audit",
    "vigil.people",
    "vigil.duties",
    "vigil.instruments",
    "vigil.referrals",
    "vigil.investigations",
    "vigil.offenders",
    "vigil.register",
    "vigil.workforce",
    "vigil.demand",
    "vigil.assurance",
    "vigil.partners",
    "vigil.synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vigil.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vigil.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vigil.core.input_guard.HostileInputMiddleware",
    "vigil.accounts.middleware.IdleTimeoutMiddleware",
    "vigil.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "vigil.config.urls"
WSGI_APPLICATION = "vigil.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vigil.core.context_processors.vigil",
            ],
            "builtins": ["vigil.core.templatetags.govuk"],
        },
    }
]

# Database: SQLite in WAL mode under var/ unless DATABASE_URL says otherwise.
_default_sqlite = f"sqlite:///{VAR_DIR / 'vigil.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("VIGIL_DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "duties:my-work"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
OTP_TOTP_ISSUER = "Vigil"
# Second factor: always in development and production; only `vigil demo` may skip it.
VIGIL_REQUIRE_SECOND_FACTOR = not DEMO_MODE

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "vigil_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
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
WHITENOISE_USE_FINDERS = not PRODUCTION

# Request sizes (docs/security.md). An uploaded file (a bulk import) may be up to
# VIGIL_MAX_UPLOAD_BYTES; the API takes it base64-encoded in JSON, so a request body may
# be a third larger. Anything larger is refused (413) before it is read.
VIGIL_MAX_UPLOAD_BYTES = env_int("VIGIL_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = VIGIL_MAX_UPLOAD_BYTES * 4 // 3 + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are spooled to a temporary file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Sessions: the idle limit itself is a policy (accounts.session_idle_minutes); the cookie
# never outlives a working day.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_NAME = "vigil_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("VIGIL_CSRF_TRUSTED_ORIGINS")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("VIGIL_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("VIGIL_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("VIGIL_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is hard to undo, so it is the force's decision (VIGIL_HSTS_PRELOAD).
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# A content security policy with no inline script and no third-party origin.
VIGIL_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

EMAIL_BACKEND = env_str(
    "VIGIL_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
if DEMO_MODE and not env_str("VIGIL_EMAIL_BACKEND"):
    # The demo writes e-mails to files under var/mail/ rather than flooding the terminal.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("VIGIL_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("VIGIL_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("VIGIL_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("VIGIL_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("VIGIL_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("VIGIL_FROM_EMAIL", "vigil@localhost")
VIGIL_BASE_URL = env_str("VIGIL_BASE_URL", "http://127.0.0.1:8000")

VIGIL_SERVICE_NAME = env_str("VIGIL_SERVICE_NAME", "Vigil")
# Directories holding the force's own assessment definitions (e.g. its licensed KIRAT).
VIGIL_INSTRUMENTS_DIRS = env_list("VIGIL_INSTRUMENTS_DIRS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("VIGIL_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
