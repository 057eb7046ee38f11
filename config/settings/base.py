"""Settings shared by every environment.

Every value comes from the environment through one reader (django-environ); a value that
cannot be parsed stops start-up with a clear error instead of being silently ignored.
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Runtime files of the embedded default (SQLite database, Redis socket, logs) live here.
VAR_DIR = Path(environ.Env().str("CAUNOI_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
# A local .env file is read when present; real environment variables always win.
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """Read a setting that must be one of a fixed set of words; fail loudly otherwise."""
    value = env.str(name, default=default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not valid; choose one of: {', '.join(choices)}"
        )
    return value


def env_positive_int(name: str, default: int) -> int:
    value = env.int(name, default=default)
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive integer, not {value}")
    return value


SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
# True only in config/settings/production.py: system checks hold it to production rules.
PRODUCTION = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# The address residents, providers and volunteers use to reach us. Webhook signatures
# are checked against it, because proxies change the scheme and host Django sees.
PUBLIC_BASE_URL = env.url("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").geturl()
PUBLIC_BASE_URL = PUBLIC_BASE_URL.rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[PUBLIC_BASE_URL])
# Reverse proxies in front of Daphne that append to X-Forwarded-For (nginx: 1). The
# client address is read that many entries from the right; 0 ignores the header, since
# anyone can send one (config.middleware.TrustedProxyMiddleware).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}"
    )

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_q",
    "csp",
    "axes",
    "teams",
    "training",
    "dispatch",
]

MIDDLEWARE = [
    # First: decides the client address every later piece reads (limits, axes, logs).
    "config.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and JSON compressed for slow rural links (static files are compressed ahead
    # of time by WhiteNoise, which answers before this). Django mitigates BREACH by
    # padding each gzip header with random bytes (SECURITY.md).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into our 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
# HTTP alone, for a deployment that serves sockets from Daphne apart (config/wsgi.py).
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
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

# --- Database -------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode with IMMEDIATE transactions, so concurrent writers
# queue on the lock (up to 20 s) instead of failing with "database is locked".
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'caunoi.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Kept open between requests and tasks: opening one runs the PRAGMAs above and
    # registers Django's SQL functions (measured as several ms of every hot-path task).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer (live pushes between processes) -------------------------------------
# Without REDIS_URL, `manage.py runstack` starts an embedded Valkey on this unix socket.
EMBEDDED_REDIS_SOCKET = VAR_DIR / "valkey.sock"
REDIS_URL_FROM_ENV = env.str("REDIS_URL", default="")
REDIS_URL = REDIS_URL_FROM_ENV or f"unix://{EMBEDDED_REDIS_SOCKET}"
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [REDIS_URL],
            "prefix": env.str("CHANNEL_LAYER_PREFIX", default="caunoi"),
            "capacity": 1500,
            "expiry": 60,
        },
    }
}

# --- Background work (django-q2) ------------------------------------------------------------
# Scheduled work and everything else: the ORM broker (the database is the queue, polled).
# The hot path (an SMS to understand or to send) goes through a Redis list
# that a second cluster, `Q_CLUSTER_NAME=caunoi-hot manage.py qcluster`, waits on: taken
# within a millisecond or two instead of a poll (dispatch/background/hot.py). The rows stay
# in the database first; sweeps find any whose Redis message was lost.
TASK_HOT_QUEUE = env.bool("TASK_HOT_QUEUE", default=True)
Q_CLUSTER = {
    "name": "caunoi",
    "orm": "default",
    "workers": env_positive_int("Q_WORKERS", 2),
    "timeout": 60,
    "retry": 90,
    "max_attempts": 3,
    "catch_up": False,
    "poll": 0.2,
    "save_limit": 1000,
    "label": _("Tác vụ nền"),
    "ALT_CLUSTERS": {
        "caunoi-hot": {
            "broker_class": "dispatch.background.hot.HotBroker",
            # Schedules belong to the default cluster (ORM broker, works without Redis).
            "scheduler": False,
            "workers": env_positive_int("Q_HOT_WORKERS", 2),
            # Successes are not written back (failures still are): one row less per SMS.
            "save_limit": -1,
        }
    },
}
# A hot task lost in Redis is re-queued by the sweeps once its row waited this long.
HOT_SWEEP_AFTER_SECONDS = env_positive_int("HOT_SWEEP_AFTER_SECONDS", 60)

# --- Auth -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes counts failed logins per username and client address and locks that pair
# out for a while; its backend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_positive_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_positive_int("AXES_COOLOFF_HOURS", 1)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.security.login_locked_out"
# The address TrustedProxyMiddleware decided, never a header axes would parse itself.
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_address"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# --- Content Security Policy (django-csp) ------------------------------------------------
# Scripts only from our own origin or an inline block carrying this response's nonce;
# no CDN, no eval, no framing. Inline style attributes stay allowed: they cannot run
# code, and the templates use a few for layout.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'", PUBLIC_BASE_URL.replace("http", "ws", 1)],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"  # displayed; the database stores UTC (USE_TZ)
USE_I18N = True
# Our own number/date formats over Django's (vi: 1.234,5 grouped where a template asks).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

# --- Static files (served by WhiteNoise; never from a CDN) -------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
# Shared static files (the base stylesheet); app-specific ones live in <app>/static/.
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "config" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# --- Outbound SMS and providers -----------------------------------------------------------
SMS_BACKEND = env_choice("SMS_BACKEND", ("console", "twilio", "smsgate"), "console")

TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
# Twilio's REST API root; only tests point it elsewhere (a local fake HTTP server).
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="https://api.twilio.com")

SMSGATE_BASE_URL = env.str(
    "SMSGATE_BASE_URL", default="https://api.sms-gate.app/3rdparty/v1"
).rstrip("/")
SMSGATE_USERNAME = env.str("SMSGATE_USERNAME", default="")
SMSGATE_PASSWORD = env.str("SMSGATE_PASSWORD", default="")
SMSGATE_SIGNING_KEY = env.str("SMSGATE_SIGNING_KEY", default="")
SMSGATE_TIMESTAMP_WINDOW = env_positive_int("SMSGATE_TIMESTAMP_WINDOW", 300)
SMSGATE_DEVICE_ID = env.str("SMSGATE_DEVICE_ID", default="")
# Zalo Official Account (README, "Zalo"). With ZALO_OA_ID unset the channel is off.
# Several communes, several OAs: per-commune rows in the admin, keyed by OA id; these
# settings seed the row of the installation's own OA on first use.
ZALO_APP_ID = env.str("ZALO_APP_ID", default="")
ZALO_APP_SECRET = env.str("ZALO_APP_SECRET", default="")
ZALO_OA_ID = env.str("ZALO_OA_ID", default="")
ZALO_OA_SECRET_KEY = env.str("ZALO_OA_SECRET_KEY", default="")
# The initial token pair; rotated tokens are stored in the database from then on.
ZALO_ACCESS_TOKEN = env.str("ZALO_ACCESS_TOKEN", default="")
ZALO_REFRESH_TOKEN = env.str("ZALO_REFRESH_TOKEN", default="")
ZALO_API_BASE_URL = env.str(
    "ZALO_API_BASE_URL", default="https://openapi.zalo.me"
).rstrip("/")
ZALO_OAUTH_BASE_URL = env.str(
    "ZALO_OAUTH_BASE_URL", default="https://oauth.zaloapp.com"
).rstrip("/")
ZALO_ZNS_BASE_URL = env.str(
    "ZALO_ZNS_BASE_URL", default="https://business.openapi.zalo.me"
).rstrip("/")
# Zalo's consultation window: free replies within this many hours of the user's last
# message, at most this many of them (Zalo OA help centre: 48 h, 8 replies).
ZALO_WINDOW_HOURS = env_positive_int("ZALO_WINDOW_HOURS", 48)
ZALO_WINDOW_REPLIES = env_positive_int("ZALO_WINDOW_REPLIES", 8)
# Approved ZNS template ids per notice kind, for notices outside the window (paid per
# message). Empty: outside the window the notice goes by SMS when a phone is linked.
ZALO_ZNS_TEMPLATE_RECEIVED = env.str("ZALO_ZNS_TEMPLATE_RECEIVED", default="")
ZALO_ZNS_TEMPLATE_ACCEPTED = env.str("ZALO_ZNS_TEMPLATE_ACCEPTED", default="")
ZALO_ZNS_TEMPLATE_VISIT = env.str("ZALO_ZNS_TEMPLATE_VISIT", default="")
ZALO_ZNS_TEMPLATE_RESOLVED = env.str("ZALO_ZNS_TEMPLATE_RESOLVED", default="")
ZALO_ZNS_TEMPLATE_FOLLOWUP = env.str("ZALO_ZNS_TEMPLATE_FOLLOWUP", default="")
# Outbound retries: tries per SMS, and the first wait (doubled each try, max one hour).
SMS_MAX_ATTEMPTS = env_positive_int("SMS_MAX_ATTEMPTS", 5)
SMS_RETRY_BASE_SECONDS = env_positive_int("SMS_RETRY_BASE_SECONDS", 30)
# Connect and read timeouts of every SMS gateway call: well below the task timeout
# (Q_CLUSTER["timeout"], 60 s), so a hung provider fails the try, not the worker.
SMS_GATEWAY_CONNECT_TIMEOUT = env_positive_int("SMS_GATEWAY_CONNECT_TIMEOUT", 5)
SMS_GATEWAY_READ_TIMEOUT = env_positive_int("SMS_GATEWAY_READ_TIMEOUT", 20)
# A row still "sending" (never handed to the provider) this long after a worker
# claimed it belongs to a dead worker: the sweep puts it back in the queue.
SMS_SENDING_LEASE_SECONDS = env_positive_int("SMS_SENDING_LEASE_SECONDS", 180)
# Tries of an inbound SMS whose processing fails before it is shown as "không xử lý
# được" on the board and in the admin (the sweep retries with doubling backoff).
INBOUND_MAX_ATTEMPTS = env_positive_int("INBOUND_MAX_ATTEMPTS", 5)
# Inbound SMS from the same phone within this many minutes joins its open request.
SMS_FOLLOWUP_MINUTES = env_positive_int("SMS_FOLLOWUP_MINUTES", 30)
# Inbound SMS per phone per hour that are understood and answered; more are only stored.
SMS_INTAKE_LIMIT_PER_HOUR = env_positive_int("SMS_INTAKE_LIMIT_PER_HOUR", 20)
# Voice hotline: the Twilio text-to-speech voice (Amazon Polly has no Vietnamese).
TWILIO_VOICE = env.str("TWILIO_VOICE", default="Google.vi-VN-Standard-A")
# Public help form abuse limits: submissions per hour from one IP and for one phone.
HELP_FORM_LIMIT_PER_IP = env_positive_int("HELP_FORM_LIMIT_PER_IP", 10)

# --- Monitoring ----------------------------------------------------------------------------
# GET /metrics (Prometheus): from these client addresses, or with "Bearer <token>".
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
HELP_FORM_LIMIT_PER_PHONE = env_positive_int("HELP_FORM_LIMIT_PER_PHONE", 3)

# --- Personal data (Law 91/2025/QH15) ------------------------------------------------------
# Closed and cancelled requests are anonymised this many days after they ended.
PRIVACY_RETENTION_DAYS = env_positive_int("PRIVACY_RETENTION_DAYS", 365)
# Days after which a resolved request is closed by the daily schedule, so that the
# retention period above starts for it.
DISPATCH_AUTO_CLOSE_DAYS = env_positive_int("DISPATCH_AUTO_CLOSE_DAYS", 14)

# --- Backups (manage.py backup / restore; nightly, and before every migrate) ----------------
# SQLite: the online backup API; PostgreSQL: pg_dump/pg_restore (dispatch/management/backups.py).
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
# How many backups each folder keeps (the newest).
BACKUP_KEEP = env_positive_int("BACKUP_KEEP", 14)
# A second folder, ideally on another disk, that receives a copy of each backup.
BACKUP_COPY_DIR = env.str("BACKUP_COPY_DIR", default="")

# --- Dispatch rules -------------------------------------------------------------------------
# Offer timeouts in seconds by priority; higher priority means a shorter wait per team.
DISPATCH_OFFER_TIMEOUT_NORMAL = env_positive_int("DISPATCH_OFFER_TIMEOUT_NORMAL", 600)
DISPATCH_OFFER_TIMEOUT_PRIORITY = env_positive_int(
    "DISPATCH_OFFER_TIMEOUT_PRIORITY", 300
)
DISPATCH_OFFER_TIMEOUT_URGENT = env_positive_int("DISPATCH_OFFER_TIMEOUT_URGENT", 180)
# Village teams tried before a request goes to the commune specialists.
DISPATCH_MAX_ROUNDS = env_positive_int("DISPATCH_MAX_ROUNDS", 3)
# The office may reopen a resolved or closed request for this many days after it was
# resolved (a follow-up call found the problem is back).
DISPATCH_REOPEN_DAYS = env_positive_int("DISPATCH_REOPEN_DAYS", 7)
# Request categories that only certified volunteers may take.
DISPATCH_CERTIFICATION_REQUIRED = env.list(
    "DISPATCH_CERTIFICATION_REQUIRED", default=["scam"]
)
# Hours a request of each category may take from intake to resolution (on-time KPI).
DISPATCH_DUE_HOURS = {
    "vneid": 24,
    "portal": 24,
    "dossier": 72,
    "epayment": 24,
    "scam": 4,
    "other": 48,
    **env.dict("DISPATCH_DUE_HOURS", cast={"value": int}, default={}),
}
# Ranking: kilometres added per open request a team already carries per free volunteer,
# and subtracted for the team that serves the resident's own village.
DISPATCH_LOAD_PENALTY_KM = env.float("DISPATCH_LOAD_PENALTY_KM", default=2.0)
DISPATCH_OWN_VILLAGE_BONUS_KM = env.float("DISPATCH_OWN_VILLAGE_BONUS_KM", default=3.0)
# ETA when a team has no recent acceptances to learn from, in minutes per place in queue.
DISPATCH_DEFAULT_WAIT_MINUTES = env_positive_int("DISPATCH_DEFAULT_WAIT_MINUTES", 15)
# Tracking look-ups allowed per client per window (seconds), public page and JSON.
DISPATCH_TRACK_RATE_LIMIT = env_positive_int("DISPATCH_TRACK_RATE_LIMIT", 30)
DISPATCH_TRACK_RATE_WINDOW = env_positive_int("DISPATCH_TRACK_RATE_WINDOW", 60)
# How often an open tracking page asks the JSON API for news, in seconds.
DISPATCH_TRACK_POLL_SECONDS = env_positive_int("DISPATCH_TRACK_POLL_SECONDS", 30)
# Closing the loop: days after "resolved" before asking "is it done?" (SMS, or a call
# for voice-channel residents), days before asking a second time, and days after the
# second question before an unanswered request is flagged for the team to call.
DISPATCH_FOLLOWUP_DAYS = env_positive_int("DISPATCH_FOLLOWUP_DAYS", 3)
DISPATCH_FOLLOWUP_RETRY_DAYS = env_positive_int("DISPATCH_FOLLOWUP_RETRY_DAYS", 2)

# --- Dashboard and JSON API -------------------------------------------------------------------
# Map tiles; empty = no tiles (markers and village circles on a plain background, offline).
DASHBOARD_MAP_TILE_URL = env.str(
    "DASHBOARD_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
DASHBOARD_MAP_ATTRIBUTION = env.str(
    "DASHBOARD_MAP_ATTRIBUTION", default="© OpenStreetMap contributors"
)
# A village is "far from help" when the nearest team with someone on duty is farther.
DASHBOARD_COVERAGE_KM = env.float("DASHBOARD_COVERAGE_KM", default=5.0)
# A village is flagged when it asks less than this share of the commune average rate.
DASHBOARD_EQUITY_FLAG_RATIO = env.float("DASHBOARD_EQUITY_FLAG_RATIO", default=0.5)
# Items per page in the JSON API (a client may ask for fewer, never more).
API_PAGE_SIZE = env_positive_int("API_PAGE_SIZE", 50)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        # django-axes announces itself on every command; lockouts are still WARNING.
        "axes": {"level": "WARNING"},
    },
}

# --- Training ---------------------------------------------------------------------------------
# Questions drawn per scam-awareness quiz, the pass mark and the attempts allowed per day.
TRAINING_QUIZ_QUESTIONS = env_positive_int("TRAINING_QUIZ_QUESTIONS", 15)
TRAINING_QUIZ_PASS_PERCENT = env_positive_int("TRAINING_QUIZ_PASS_PERCENT", 80)
TRAINING_QUIZ_ATTEMPTS_PER_DAY = env_positive_int("TRAINING_QUIZ_ATTEMPTS_PER_DAY", 3)
# QR check-in is accepted from this long before the start until this long after the end.
TRAINING_CHECKIN_GRACE_MINUTES = env_positive_int("TRAINING_CHECKIN_GRACE_MINUTES", 30)
# Certificates expiring within this many days are flagged and reminded.
TRAINING_EXPIRY_WARNING_DAYS = env_positive_int("TRAINING_EXPIRY_WARNING_DAYS", 30)

# The dashboard map's tile server is the one outside origin the CSP allows (images only).
if DASHBOARD_MAP_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(DASHBOARD_MAP_TILE_URL.replace("{s}", "*"))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc}"
    )
