"""Settings for Työllisyystalo, all from the environment (see ``.env.example``)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import Env, load_dotenv

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env(defaults=load_dotenv(BASE_DIR / ".env"))

DEBUG = env.get_bool("DEBUG", default=False)
DEMO = env.get_bool("DEMO", default=False)
SECRET_KEY = env.get_str("SECRET_KEY")
FIELD_ENCRYPTION_KEY = env.get_str("FIELD_ENCRYPTION_KEY")
# Older keys that may still decrypt stored values during a key rotation.
FIELD_ENCRYPTION_OLD_KEYS = env.get_list("FIELD_ENCRYPTION_OLD_KEYS", default=[])
ALLOWED_HOSTS = env.get_list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tyollisyystalo.shared",
    "tyollisyystalo.ops",
    "tyollisyystalo.organisations",
    "tyollisyystalo.staff",
    "tyollisyystalo.notifications",
    "tyollisyystalo.clients",
    "tyollisyystalo.access",
    "tyollisyystalo.consents",
    "tyollisyystalo.audit",
    "tyollisyystalo.catalogue",
    "tyollisyystalo.portal",
    "tyollisyystalo.contact_requests",
    "tyollisyystalo.rules",
    "tyollisyystalo.instruments",
    "tyollisyystalo.cases",
    "tyollisyystalo.plans",
    "tyollisyystalo.referrals",
    "tyollisyystalo.worktrials",
    "tyollisyystalo.subcontracting",
    "tyollisyystalo.employers",
    "tyollisyystalo.coaching",
    "tyollisyystalo.coaching_modules",
    "tyollisyystalo.coaching_worklist",
    "tyollisyystalo.ips",
    "tyollisyystalo.fidelity",
    "tyollisyystalo.selfservice",
    "tyollisyystalo.messaging",
    "tyollisyystalo.documents",
    "tyollisyystalo.appointments",
    "tyollisyystalo.acknowledgements",
    "tyollisyystalo.retention",
    "tyollisyystalo.management",
    "tyollisyystalo.surveys",
    "tyollisyystalo.indicators",
    "tyollisyystalo.situation",
    "tyollisyystalo.evaluation",
    "tyollisyystalo.segments",
    "tyollisyystalo.capacity",
    "tyollisyystalo.demo",
    "tyollisyystalo.casefile",
    "tyollisyystalo.pickers",
]

MIDDLEWARE = [
    "tyollisyystalo.ops.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tyollisyystalo.ops.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "tyollisyystalo.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tyollisyystalo.shared.middleware.FinnishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Clients' strong identification (a Suomi.fi-style OpenID Connect provider). Off unless set.
OIDC_RP_CLIENT_ID = env.get_str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.get_str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.get_str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.get_str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.get_str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.get_str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.get_str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.get_str("OIDC_RP_SCOPES", default="openid profile")
# The claim that carries the henkilötunnus (Suomi.fi: urn:oid:1.2.246.21).
OIDC_HETU_CLAIM = env.get_str("OIDC_HETU_CLAIM", default="urn:oid:1.2.246.21")
OIDC_AUTHENTICATION_CALLBACK_URL = "selfservice:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/omat/kirjaudu/?virhe=1"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("tyollisyystalo.selfservice.auth.ClientOIDCBackend")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tyollisyystalo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tyollisyystalo.staff.context_processors.staff_member",
                "tyollisyystalo.notifications.context_processors.unread",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env.get_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env.get_int("DATABASE_CONN_MAX_AGE", default=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Management pages and exports read from a PostgreSQL read replica when there is one (issue 15).
if replica_url := env.get_str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **dj_database_url.parse(replica_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]),
        "TEST": {"MIRROR": "default"},
    }
REPORTING_DATABASE = "replica" if "replica" in DATABASES else "default"
# How old counted management figures may be when shown (seconds; ADR 0026): the reporting store
# serves them until then, and run_scheduled recounts the ones in use when half of it has passed.
REPORTING_MAX_AGE = env.get_int("REPORTING_MAX_AGE_SECONDS", default=60 * 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("suomi")), ("sv", _("svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tyollisyystalo" / "locale"]
LANGUAGE_COOKIE_NAME = "tt_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.get_str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "tyollisyystalo" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "clients:search"
LOGOUT_REDIRECT_URL = "portal:home"

# Sessions end after inactivity; every request renews the window.
SESSION_COOKIE_AGE = env.get_int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.get_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.get_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files; an
# inline <script> or <style> needs the request's nonce ({{ request.csp_nonce }}).
_CSP_FORM_ACTION = [SELF]
if OIDC_ENABLED and OIDC_OP_AUTHORIZATION_ENDPOINT:
    # The client's login form redirects to the identity provider.
    _CSP_FORM_ACTION.append(OIDC_OP_AUTHORIZATION_ENDPOINT.split("?", 1)[0])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": _CSP_FORM_ACTION,
    }
}
X_FRAME_OPTIONS = "DENY"

# Oversized bodies are refused with 400 before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.get_int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# Failed logins: lock the username + address pair after five failures for 15 minutes.
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
# The API's token endpoint answers a lockout in JSON; pages get the template above.
AXES_LOCKOUT_CALLABLE = "tyollisyystalo.staff.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]

# Public contact requests: at most this many per source address within the window.
CONTACT_REQUEST_MAX_PER_WINDOW = env.get_int("CONTACT_REQUEST_MAX_PER_WINDOW", default=5)
CONTACT_REQUEST_WINDOW_SECONDS = 3600
# Personal data of a handled request is erased this long after handling (purge_contact_requests).
CONTACT_REQUEST_RETENTION_DAYS = env.get_int("CONTACT_REQUEST_RETENTION_DAYS", default=365)

# Retention (ADR 0022): candidates are read this many at a time, at most this many batches per
# class and run; each erased bundle (one client's records of one class) is its own transaction.
RETENTION_BATCH_SIZE = env.get_int("RETENTION_BATCH_SIZE", default=200)
RETENTION_MAX_BATCHES = env.get_int("RETENTION_MAX_BATCHES", default=50)
# The access log's external witness (ADR 0019): where `run_scheduled` writes signed checkpoints
# of every log chain. Whitespace-separated: file:///dir, syslog: | syslog:///dev/log |
# syslog://host:514, mailto:auditors@example.fi. Empty: no checkpoints (development).
ACCESS_LOG_CHECKPOINT_SINK = env.get_str("ACCESS_LOG_CHECKPOINT_SINK", default="")
ACCESS_LOG_CHECKPOINT_SYSLOG_ADDRESS = env.get_str(
    "ACCESS_LOG_CHECKPOINT_SYSLOG_ADDRESS", default="/dev/log"
)
# A chain whose head moved is checkpointed again after this many minutes.
ACCESS_LOG_CHECKPOINT_MINUTES = env.get_int("ACCESS_LOG_CHECKPOINT_MINUTES", default=60)

# Outgoing e-mail (reminders). The console backend prints instead of sending, for development.
EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", default="tyollisyystalo@example.fi")
# The address of this service, for links in e-mails.
SITE_URL = env.get_str("SITE_URL", default="http://127.0.0.1:8000")

# Documents on client records (ADR 0030): encrypted files outside the web root, at most
# DOCUMENT_MAX_BYTES, scanned by DOCUMENT_SCANNER (ClamAV); kept unscanned only where allowed.
DOCUMENT_ROOT = env.get_str("DOCUMENT_ROOT", default=str(BASE_DIR / "var" / "documents"))
DOCUMENT_MAX_BYTES = env.get_int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
DOCUMENT_SCANNER = env.get_str(
    "DOCUMENT_SCANNER", default="tyollisyystalo.documents.checks.clamav_scan"
)
DOCUMENT_ALLOW_UNSCANNED = env.get_bool("DOCUMENT_ALLOW_UNSCANNED", default=DEBUG or DEMO)

# Appointment reminders by text message (ADR 0029): a class with ``send(number, text)``.
SMS_BACKEND = env.get_str("SMS_BACKEND", default="tyollisyystalo.appointments.sms.ConsoleBackend")

# A service whose content nobody has published or confirmed for this long is flagged as stale.
CATALOGUE_STALE_MONTHS = env.get_int("CATALOGUE_STALE_MONTHS", default=12)
# The service path's reviews in months from its start (seed 001: 1, 3, 6, 9 and 12).
CASE_INTERIM_REVIEW_MONTHS = [
    int(m) for m in env.get_list("CASE_INTERIM_REVIEW_MONTHS", default=["1", "3", "6", "9"])
]
CASE_FINAL_REVIEW_MONTHS = env.get_int("CASE_FINAL_REVIEW_MONTHS", default=12)
# Reminders go this many days before a deadline; the worklist shows as "due soon" this far ahead.
DEADLINE_REMINDER_DAYS = env.get_int("DEADLINE_REMINDER_DAYS", default=7)
WORKLIST_SOON_DAYS = env.get_int("WORKLIST_SOON_DAYS", default=14)
# A referral not answered within this many days is flagged to the sender.
REFERRAL_ANSWER_DAYS = env.get_int("REFERRAL_ANSWER_DAYS", default=14)
# How long a work-trial feedback link works by default (1-90 days).
WORKTRIAL_LINK_DAYS = env.get_int("WORKTRIAL_LINK_DAYS", default=30)
# Survey links work this many days; one reminder goes this many days after the invitation.
SURVEY_LINK_DAYS = env.get_int("SURVEY_LINK_DAYS", default=30)
SURVEY_REMINDER_DAYS = env.get_int("SURVEY_REMINDER_DAYS", default=7)
# Directories of a region's own instrument definitions (JSON), beside the built-in ones.
INSTRUMENT_DIRS = env.get_list("INSTRUMENT_DIRS", default=[])

OTP_TOTP_ISSUER = "Työllisyystalo"
# API tokens live this long after they were issued (password + TOTP).
API_TOKEN_TTL = timedelta(hours=env.get_int("API_TOKEN_TTL_HOURS", default=8))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tyollisyystalo.staff.api_auth.ExpiringTokenAuthentication",
        "tyollisyystalo.staff.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tyollisyystalo.staff.api_auth.IsVerifiedStaff"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "tyollisyystalo.staff.api_errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"token": "10/min"},
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Työllisyystalo API",
    "DESCRIPTION": "Consent-aware case record of the employment house. Every read is logged.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tyollisyystalo.shared.openapi.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DataCategoryEnum": "tyollisyystalo.clients.categories.DataCategory",
        "ConsentMethodEnum": "tyollisyystalo.consents.models.ConsentMethod",
        "WithdrawalMethodEnum": "tyollisyystalo.consents.models.WithdrawalMethod",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object per line with allowlisted fields only (tyollisyystalo.ops.logs).
        "json": {"()": "tyollisyystalo.ops.logs.SafeJsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.get_str("LOG_FORMAT", default="plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request bodies and query strings may hold personal data: log no request details.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # django-axes names the username in its INFO and WARNING lines; attempts stay in its tables.
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
