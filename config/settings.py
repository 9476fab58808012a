"""Settings for Pulih.

One module for every environment. Behaviour that differs in production is
switched by ``PULIH_ENV=production`` (a flag, not a separate file), and every
knob is read through :mod:`pulih.core.env`. With no configuration at all the
app runs on SQLite with an embedded job queue.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet as xstatic_leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pulih.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PULIH_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PULIH_ENV = env_str("PULIH_ENV", "development")
PRODUCTION = PULIH_ENV == "production"

_DEV_SECRET = "pulih-development-secret-key-not-for-production-use-0123456789"  # noqa: S105
SECRET_KEY = env_str("PULIH_SECRET_KEY", _DEV_SECRET)
DEBUG = env_bool("PULIH_DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("PULIH_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("PULIH_CSRF_TRUSTED_ORIGINS", [])

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("PULIH_DEBUG must be off when PULIH_ENV=production.")
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "Set PULIH_SECRET_KEY to a random value of at least 50 characters in production."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "ninja",
    "huey.contrib.djhuey",
    # Pulih apps, in dependency order (see docs/architecture.md).
    "pulih.core",
    "pulih.audit",
    "pulih.regions",
    "pulih.organisations",
    "pulih.accounts",
    "pulih.units",
    "pulih.clients",
    "pulih.screening",
    "pulih.referrals",
    "pulih.mapping",
    "pulih.prevention",
    "pulih.reports",
    "pulih.sync",
    "pulih.fieldapp",
    "pulih.privacy",
    "pulih.scale",
    "pulih.home",
    "pulih.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pulih.accounts.middleware.SessionLifetimeMiddleware",
    "pulih.accounts.middleware.SecondFactorEnrollmentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "pulih.core.middleware.DomainErrorMiddleware",
    "pulih.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "pulih.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pulih.sqlite3'}"),
        conn_max_age=env_int("PULIH_DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the job worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if env_str("PULIH_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("PULIH_TEST_DB_NAME")}
# Read replica (issue 8): with DATABASE_REPLICA_URL set, GET requests to the reports
# read the rollup tables from the replica (pulih.scale.routers); otherwise a no-op.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"), conn_max_age=env_int("PULIH_DB_CONN_MAX_AGE", 0), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["pulih.scale.routers.ReplicaRouter"]
    MIDDLEWARE.append("pulih.scale.routers.ReportReadsOnReplica")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout: after N failures for one username the account is locked for a
# cool-off period, then unlocks by itself (never a permanent lock).
PULIH_LOCKOUT_ATTEMPTS = env_int("PULIH_LOCKOUT_ATTEMPTS", 5)
PULIH_LOCKOUT_COOLOFF_SECONDS = env_int("PULIH_LOCKOUT_COOLOFF_SECONDS", 15 * 60)

# Sessions: the idle timeout slides with every request; the absolute lifetime
# ends a session however active it is.
SESSION_COOKIE_AGE = env_int("PULIH_SESSION_IDLE_SECONDS", 30 * 60)
# The idle timeout slides when the session is touched (pulih/accounts/middleware.py):
# at most once a minute, not a database write on every request.
SESSION_SAVE_EVERY_REQUEST = False
PULIH_SESSION_TOUCH_SECONDS = env_int("PULIH_SESSION_TOUCH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PULIH_SESSION_ABSOLUTE_SECONDS = env_int("PULIH_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Second factor (TOTP) is required for these roles. Production defaults to the
# staff roles; a local demo asks nobody (set the variable to try it).
PULIH_2FA_REQUIRED_ROLES = env_list(
    "PULIH_2FA_REQUIRED_ROLES", ["supervisor", "office_staff", "dpo", "admin"] if PRODUCTION else []
)

# Programme policy. Where the sources disagree or are silent (domain.md), the
# rule is a setting, not code; each app reads these names with the same default.
PULIH_ELIGIBILITY_IN_IBM = env_list("PULIH_ELIGIBILITY_IN_IBM", ["low"])
PULIH_ELIGIBILITY_AFTERCARE_IN_IBM = env_list("PULIH_ELIGIBILITY_AFTERCARE_IN_IBM", ["low", "moderate"])
PULIH_COMPLETION_NEGATIVE_MONTHS = env_int("PULIH_COMPLETION_NEGATIVE_MONTHS", 3)
PULIH_MINOR_AGE = env_int("PULIH_MINOR_AGE", 18)
PULIH_REFERRAL_ACK_DAYS = env_int("PULIH_REFERRAL_ACK_DAYS", 7)
PULIH_UNIT_TRAINED_MIN_AGENTS = env_int("PULIH_UNIT_TRAINED_MIN_AGENTS", 3)
PULIH_SUPERVISOR_SEES_IDENTITY = env_bool("PULIH_SUPERVISOR_SEES_IDENTITY", False)
PULIH_REPORT_DUE_DAY = env_int("PULIH_REPORT_DUE_DAY", 7)
PULIH_REPORTS_HISTORY_MONTHS = env_int("PULIH_REPORTS_HISTORY_MONTHS", 24)
PULIH_REPORTS_REFRESH_MONTHS = env_int("PULIH_REPORTS_REFRESH_MONTHS", 3)
# Processes solving a large month's suppression pattern (0: one per CPU).
PULIH_PATTERN_PROCESSES = env_int("PULIH_PATTERN_PROCESSES", 0)
PULIH_SYNC_MAX_CLIENTS = env_int("PULIH_SYNC_MAX_CLIENTS", 500)
PULIH_SYNC_HISTORY_MONTHS = env_int("PULIH_SYNC_HISTORY_MONTHS", 12)
PULIH_SYNC_BATCH_SIZE = env_int("PULIH_SYNC_BATCH_SIZE", 200)
PULIH_SYNC_MAX_WRONG_PINS = env_int("PULIH_SYNC_MAX_WRONG_PINS", 5)
PULIH_SYNC_WIPE_AFTER_DAYS = env_int("PULIH_SYNC_WIPE_AFTER_DAYS", 14)
PULIH_SYNC_PIN_ITERATIONS = env_int("PULIH_SYNC_PIN_ITERATIONS", 210000)
PULIH_BACKUP_KEY = env_str("PULIH_BACKUP_KEY", "")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from PyPI and are served as static files by the app.
STATICFILES_DIRS = [("vendor/leaflet", xstatic_leaflet.BASE_DIR)]
STATIC_ROOT.mkdir(exist_ok=True)
# Outside production WhiteNoise serves straight from the apps' static folders,
# so no collectstatic step is needed to run or test the app.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = Path(env_str("PULIH_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
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

# Security headers. CSP forbids inline scripts and styles: every script and
# stylesheet is a file served by the app itself.
MAP_TILE_URL = env_str("PULIH_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"] + ([_tile_origin] if _tile_origin else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("PULIH_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("PULIH_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True


def _dev_key(label: str) -> str:
    digest = hashlib.sha256(f"{label}:{SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


# Field encryption keys (Fernet, comma separated; the first encrypts, all
# decrypt, so a new key can be put in front and old data re-encrypted with
# `manage.py rotate_field_keys`). The blind-index key is separate.
PULIH_FIELD_KEYS = env_list("PULIH_FIELD_KEYS", [])
PULIH_BLIND_INDEX_KEY = env_str("PULIH_BLIND_INDEX_KEY", "")
if not PULIH_FIELD_KEYS or not PULIH_BLIND_INDEX_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "Set PULIH_FIELD_KEYS and PULIH_BLIND_INDEX_KEY in production "
            "(see README, 'Running in production')."
        )
    PULIH_FIELD_KEYS = PULIH_FIELD_KEYS or [_dev_key("field")]
    PULIH_BLIND_INDEX_KEY = PULIH_BLIND_INDEX_KEY or _dev_key("blind-index")

# Background jobs (huey). With no configuration the queue is a SQLite file and
# `manage.py run_huey` (started by ./pulih.sh start) is the worker. In
# production point PULIH_QUEUE_URL at Redis and run workers on any machine.
_queue_url = env_str("PULIH_QUEUE_URL", "")
if _queue_url.startswith("redis://"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "pulih",
        "url": _queue_url,
        "immediate": False,
        "consumer": {"workers": env_int("PULIH_QUEUE_WORKERS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "pulih",
        "filename": _queue_url or str(VAR_DIR / "queue.sqlite3"),
        "immediate": env_bool("PULIH_QUEUE_IMMEDIATE", False),
        "consumer": {"workers": env_int("PULIH_QUEUE_WORKERS", 2), "worker_type": "thread"},
    }

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("PULIH_CACHE_URL")}
        if env_str("PULIH_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

NINJA_PAGINATION_PER_PAGE = 25

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PULIH_LOG_LEVEL", "INFO")},
    "loggers": {"huey": {"level": "WARNING"}},
}
