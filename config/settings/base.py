"""Settings shared by every environment. Everything that varies comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "core.apps.PortalAdminConfig",  # django.contrib.admin on core.admin.PortalAdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "config",
    # The apps in their layers: each imports only those above it (tests/architecture/test_imports.py).
    "core",
    "partners",
    "specializations",
    "learning",
    "certifications",
    "csat",
    "compliance",
    "renewals",
    "loyalty",
    "integrations",
    "webhooks",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.permissions_policy",
]

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline (page data goes
# through json_script; tests/test_headers.py keeps templates free of inline scripts and on*= handlers). Styles
# allow inline: the progress bars' width, htmx's indicator style and the API docs' bundled styles; a style cannot
# run code. Images may be data: URIs (Swagger UI's icons); Redoc's search worker is a blob:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features the portal never uses, switched off for it and anything it might embed.
PERMISSIONS_POLICY = env(
    "PERMISSIONS_POLICY",
    default="accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), browsing-topics=()",
)

# The health probe answers over plain HTTP (container healthcheck) even where SSL redirect is on.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "partners.context_processors.role",
                "home.context_processors.navigation_links",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions expire: 8 hours of inactivity, and at browser close.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Failed-login lockout (django-axes): 5 failures lock the username+IP pair for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "config.auth_api.lockout_response"  # JSON for the API, the page for the login form

LANGUAGE_CODE = "en-us"
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage; business dates use PROGRAM_TIME_ZONE through core.clock
PROGRAM_TIME_ZONE = env("PROGRAM_TIME_ZONE", default="America/Los_Angeles")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files (CE certificates, evidence documents): var/media locally, a volume in production (compose mounts
# it at /app/media). Never served from MEDIA_URL: no URL pattern serves MEDIA_ROOT, every download goes through a
# view that checks who asks (tests/compliance/test_evidence.py).
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# The largest evidence document accepted (bytes) on a Hybrid IT service, support agreement or capability.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=20)  # documents a record keeps
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=20 * 1024 * 1024)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "emails"))  # for the filebased backend
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Partner Portal <portal@localhost>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# The cache holds API throttling counters; Redis in production (CACHE_URL=redis://redis:6379/1) so every
# gunicorn worker counts together, memory locally.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# A filter's empty choice reads "Any" (a filter may name it, "Status: any"), never Django's "---------".
FILTERS_EMPTY_CHOICE_LABEL = "Any"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.auth.TokenAuthentication",  # knox, refusing users without a role
        "integrations.auth.IntegrationTokenAuthentication",  # an integration's token (pci_...)
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.SafeJSONParser",  # deeply nested JSON is a 400, not a RecursionError
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.openapi.PortalAutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Throttling (429 with Retry-After): the token login per client address, and every API call per user, per
    # integration token or, anonymous, per address; issuing and revoking tokens per address as well. Counted in
    # the cache (CACHE_URL: Redis in production, shared by the workers).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.ScopedRateThrottle",
        "integrations.throttling.PersonRateThrottle",
        "integrations.throttling.IntegrationRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "login": env("API_LOGIN_RATE", default="10/min"),
        "user": env("API_USER_RATE", default="1200/min"),
        "integration": env("API_INTEGRATION_RATE", default="600/min"),
        "token": env("API_TOKEN_RATE", default="30/hour"),
        "anon": env("API_ANON_RATE", default="60/min"),
    },
}
# An integration token (integrations/) expires after this many days unless its creator picks a time.
INTEGRATION_TOKEN_TTL_DAYS = env.int("INTEGRATION_TOKEN_TTL_DAYS", default=365)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTO_REFRESH": False,
}
# /api/schema/, /api/docs/ and /api/redoc/ without a login (true locally); in production (the default) they
# need a signed-in user or a token, like the API they describe.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
SPECTACULAR_SETTINGS = {
    "TITLE": "Partner Compliance Portal API",
    "DESCRIPTION": (
        "Versioned REST API for CRM integrations. Authenticate with `Authorization: Token <key>`; "
        "obtain a key with POST /api/v1/auth/token/ {username, password}."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Served locally (drf-spectacular-sidecar; Redoc's page drops the Google Fonts links: config/api_docs.py).
    # No validatorUrl: Swagger UI would otherwise load a badge from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]",
}

# Celery: Redis in production and CI; a filesystem broker for the embedded default.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://localhost/")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem"):
    _queue = Path(env("CELERY_FS_QUEUE", default=str(BASE_DIR / "var" / "broker")))
    for sub in ("in", "processed", "control"):
        (_queue / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "in"),
        "data_folder_out": str(_queue / "in"),
        "processed_folder": str(_queue / "processed"),
        # The exchange tables (celery.exchange, celery.pidbox.exchange); kombu's default is ./control.
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = PROGRAM_TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The daily run's chunk: this many partners (by id) per task, recomputed then scanned (config/daily.py).
DAILY_CHUNK_PARTNERS = env.int("DAILY_CHUNK_PARTNERS", default=1000)

# Notice delivery: a claim older than this (seconds) is taken to be a dead worker's and is re-sent.
NOTICE_CLAIM_TIMEOUT = env.int("NOTICE_CLAIM_TIMEOUT", default=600)

# Webhooks (webhooks/): endpoint secrets are encrypted with a key derived from WEBHOOK_SECRET_KEY (SECRET_KEY when
# unset; changing it makes the stored secrets unreadable: rotate every endpoint's secret then). Endpoint URLs that
# resolve to loopback, private, link-local or metadata addresses are refused; loopback only is allowed when
# WEBHOOKS_ALLOW_LOOPBACK is true (local use and tests). A claim older than WEBHOOKS_CLAIM_TIMEOUT seconds is a dead
# worker's and the delivery goes out again (same webhook-id).
WEBHOOK_SECRET_KEY = env("WEBHOOK_SECRET_KEY", default="")
WEBHOOKS_ALLOW_LOOPBACK = env.bool("WEBHOOKS_ALLOW_LOOPBACK", default=False)
WEBHOOKS_CLAIM_TIMEOUT = env.int("WEBHOOKS_CLAIM_TIMEOUT", default=120)

# Revocation after a failed non-compliance: review by staff (default) or automatic.
AUTO_REVOKE = env.bool("AUTO_REVOKE", default=False)

# Every line goes out once, through the root's console handler: Django's default config gives the "django" logger
# a console handler of its own as well (with DEBUG on every request log line showed twice), so it has none here.
# runserver's access log ("django.server") keeps its own handler and does not propagate. A 403 or 404 logs its
# one warning line without a traceback (config.log.OrdinaryRefusals).
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"ordinary_refusals": {"()": "config.log.OrdinaryRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {"filters": ["ordinary_refusals"]},
    },
}

# OpenAPI enum names where several models use a field called `kind` or `status`.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "CredentialStatusEnum": "core.models.CredentialStatus",
    "NoticeStatusEnum": "core.models.Notice.STATUS_CHOICES",
    "RequirementKindEnum": "compliance.models.Requirement.KIND_CHOICES",
    "HybridITServiceKindEnum": "compliance.models.HybridITService.KIND_CHOICES",
    "SupportAgreementKindEnum": "compliance.models.SupportAgreement.KIND_CHOICES",
    "TerritoryKindEnum": [("country", "Country"), ("group", "Country group")],
    "SpecializationKindEnum": "specializations.models.SpecializationKind",
    "ExamKindEnum": "certifications.models.ExamKind",
    "CeClaimStatusEnum": "certifications.models.CeClaim.Status",
    "BookingKindEnum": "loyalty.models.Booking.KIND_CHOICES",
    "RedemptionKindEnum": "loyalty.models.Redemption.KIND_CHOICES",
    "RedemptionStatusEnum": [("completed", "Completed"), ("reversed", "Reversed")],
    "LedgerEntryKindEnum": "loyalty.models.LedgerEntry.KIND_CHOICES",
}
