"""Settings: one file, every value from the environment (see .env.example).

SQLite is the embedded default for trying the product; production and CI set DATABASE_URL
to PostgreSQL. PPS_PRODUCTION=true switches on the hardening that `check --deploy` checks.
"""

import importlib.util
from pathlib import Path

import environ
from csp import constants as csp

from pps.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PRODUCTION = env.bool("PPS_PRODUCTION", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
# In production a missing or weak key is refused by a system check (pps/checks.py), which
# names the variable to set, rather than by a traceback here.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="" if PRODUCTION else "insecure-key-for-local-trial-only"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The sign-in page lists the demo accounts only when this is on (the README's first command).
DEMO_MODE = env.bool("PPS_DEMO_MODE", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "pps",
    "volunteers",
    "casework",
    "evaluations",
    "reports",
    "quality",
    "publications",
    "transfers",
    "access_requests",
    "retention",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise and everything that may answer early: the headers go on every response.
    "csp.middleware.CSPMiddleware",
    "pps.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pps.logging.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pps.middleware.SecondFactorDeviceMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pps.middleware.IdleTimeoutMiddleware",
    "pps.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pps.middleware.ServiceScopeMiddleware",
    "pps.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pps.urls"
WSGI_APPLICATION = "pps.wsgi.application"
ASGI_APPLICATION = "pps.asgi.application"

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
                "pps.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production keeps each worker's connection for a minute, checked before reuse, instead of
# opening one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "DATABASE_CONN_MAX_AGE", default=60 if PRODUCTION else 0
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(
    "DATABASE_CONN_HEALTH_CHECKS", default=PRODUCTION
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the health check skipped on a connection that served a request
    # which ended less than this many seconds ago (0: check every time, as Django does);
    # pps/postgresql/base.py, docs/decisions/0025-health-check-once-a-second.md.
    DATABASES["default"]["ENGINE"] = "pps.postgresql"
PPS_DATABASE_HEALTH_CHECK_AFTER = env.float("PPS_DATABASE_HEALTH_CHECK_AFTER", default=1.0)
# The queries of fixed shape (pps/prepared.py) are prepared on the PostgreSQL server, once
# per connection; off behind a pooler that shares sessions (docs/operations.md).
PPS_PREPARE_ON_SERVER = env.bool("PPS_PREPARE_ON_SERVER", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two people signing in at once both write (session, access log). SQLite's default
    # deferred transactions then fail at once with "database is locked"; WAL lets readers
    # and one writer work together (a long read no longer stops every commit), IMMEDIATE
    # takes the write lock up front and the timeout makes the second writer wait for it
    # (docs/decisions/0005-no-lost-updates-no-duplicates.md). So an atomic block is a
    # short write; reads run outside transactions (docs/operations.md, "The SQLite demo").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.float("PPS_SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # The report indexes carry extra columns for PostgreSQL's index-only scans
    # (casework/migrations/0008_report_indexes.py); SQLite builds them without, which is
    # all the demo needs, so its warning about it is not shown on every command.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# The evaluation links' rate limit counts in the cache: with several server processes it
# must be shared, and production refuses a per-process cache (pps/checks.py). Redis:
# CACHE_URL=redis://127.0.0.1:6379/1 (Django's own RedisCache).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Sessions are read on every signed-in request. With a shared cache (Redis) they are read
# from it and written to both it and the database (Django's cached_db: a cache restart
# signs nobody out); a cache each process keeps to itself would let one worker go on
# trusting a session another has ended, so then they stay in the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if CACHES["default"]["BACKEND"]
    in (
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    )
    else "django.contrib.sessions.backends.cached_db"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "pps.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user's service in the same query (pps/auth.py).
    "pps.auth.ModelBackendWithService",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes). Failures are counted three ways, each with its own limit
# (pps.throttling.SignInThrottle):
# - one account from one address: AXES_FAILURE_LIMIT (10), the ordinary mistyping limit;
# - one account from any address: 30, so guessing spread over many addresses is stopped,
#   while one attacker from one address (stopped at 10) cannot lock a colleague out alone;
# - one address against any account: 30, so one address cannot try a password against
#   every account, while an office behind one shared address is not locked by a few typos.
# Each lock lasts AXES_COOLOFF_TIME; a superuser can lift it sooner in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
PPS_ACCOUNT_FAILURE_LIMIT = env.int("PPS_ACCOUNT_FAILURE_LIMIT", default=30)
PPS_ADDRESS_FAILURE_LIMIT = env.int("PPS_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "pps.throttling.SignInThrottle"
# How many reverse proxies in front of the server add to X-Forwarded-For (0: none, the
# address is REMOTE_ADDR). Only then is that header believed (pps.throttling.client_address).
PPS_TRUSTED_PROXIES = env.int("PPS_TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "pps.throttling.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Cut to the column django-axes stores it in (pps/throttling.py).
AXES_USERNAME_CALLABLE = "pps.throttling.attempted_username"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Two-factor sign-in (django-otp): the authenticator app shows this name beside the code.
OTP_TOTP_ISSUER = env.str("PPS_OTP_ISSUER", default="PPS casework")

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["pps.formats"]

# Uploaded documents (self-assessment evidence) are personal or internal: they are never
# served as static files, only through views that check access.
MEDIA_ROOT = Path(env.str("PPS_MEDIA_ROOT", default="") or BASE_DIR / "media")
# Uploads (pps/uploads.py): the largest document taken, counted while the request is read;
# files above Django's in-memory limit go to a temporary file until then.
PPS_UPLOAD_MAX_SIZE = env.int("PPS_UPLOAD_MAX_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "pps.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, stated: 2.5 MB
# Form fields other than files (Django's default): a request past it is refused with 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

STATIC_URL = "static/"
# collectstatic writes here and whitenoise serves from here.
STATIC_ROOT = Path(env.str("PPS_STATIC_ROOT", default="") or BASE_DIR / "staticfiles")
# Bootstrap comes from the bootstrap-wrapper package on PyPI; nothing third-party is committed.
_bootstrap = importlib.util.find_spec("bootstrap")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", next(iter(_bootstrap.submodule_search_locations))),
]
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

# Background work (docs/decisions/0018-background-worker.md): django-tasks, the API Django 6
# adopted, with its database backend, so the queue is a table of the same database: the
# SQLite demo needs no other server and several workers on several machines share one
# PostgreSQL. Workers run `manage.py db_worker` (README.md, "Production").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A document still "building" this many seconds after its worker took it is taken to have
# died with its worker: it is queued again once, then marked failed (pps/documents.py).
PPS_DOCUMENT_BUILD_TIMEOUT = env.int("PPS_DOCUMENT_BUILD_TIMEOUT", default=600)
# An export of more rows than this is built by the background worker as a document
# instead of being the answer to its request (pps/exports.py).
PPS_EXPORT_DIRECT_ROWS = env.int("PPS_EXPORT_DIRECT_ROWS", default=2000)
# An imported file bigger than this (bytes) is checked and loaded by the background worker
# rather than while the coordinator waits (transfers/actions.py); 2,000 contacts are ~200 KB.
PPS_IMPORT_DIRECT_BYTES = env.int("PPS_IMPORT_DIRECT_BYTES", default=256 * 1024)
# How long the logs are kept before the monthly retention command removes them
# (retention/actions.py, docs/data-lifecycle.md): who read which personal data (2 years), and
# the sign-in attempts, failures and sign-ins django-axes records (1 year).
PPS_ACCESS_LOG_RETENTION_DAYS = env.int("PPS_ACCESS_LOG_RETENTION_DAYS", default=730)
PPS_SIGN_IN_LOG_RETENTION_DAYS = env.int("PPS_SIGN_IN_LOG_RETENTION_DAYS", default=365)
# Generated documents that hold personal data (exports, subject access bundles) are copies
# made for a download: removed with their files after this many days by the same command.
PPS_PERSONAL_DOCUMENT_RETENTION_DAYS = env.int("PPS_PERSONAL_DOCUMENT_RETENTION_DAYS", default=30)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Evaluation links go by email: printed to the console unless a mail server is set, e.g.
# EMAIL_URL=smtp+tls://user:password@smtp.example.org:587 (the SMTP backend then).
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
if env.str("EMAIL_URL", default=""):
    _mail = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _mail["EMAIL_BACKEND"]
    EMAIL_HOST, EMAIL_PORT = _mail["EMAIL_HOST"], _mail["EMAIL_PORT"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _mail["EMAIL_HOST_USER"], _mail["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _mail.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _mail.get("EMAIL_USE_SSL", False)
# A mail server that does not answer must not hold a page for long: the send is recorded as
# failed and can be retried.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="pps@localhost")

SIMPLE_HISTORY_REVERT_DISABLED = True

# Browser security (docs/architecture.md, "Browser security"): every response, in every
# mode, carries a Content-Security-Policy with no inline script or style, and a
# Permissions-Policy (pps.middleware) that turns off the browser features nobody uses here.
# Images may be data: URIs (Bootstrap's form icons, QR codes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(), camera=(), "
    "display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), "
    "serial=(), usb=(), xr-spatial-tracking=()"
)

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# X-Forwarded-Proto is believed only when a proxy in front of the server is said to set it
# (and to overwrite whatever the client sent); otherwise any client could claim HTTPS.
BEHIND_PROXY = env.bool("PPS_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# JSON lines on stderr, with evaluation-link tokens masked and query strings dropped
# (pps/logging.py); one line per request at INFO.
LOGGING = logging_config(
    level=env.str("DJANGO_LOG_LEVEL", default="WARNING"),
    request_level=env.str("PPS_REQUEST_LOG_LEVEL", default="INFO"),
)
