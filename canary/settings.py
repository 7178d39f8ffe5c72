"""Canary's one settings module.

Every setting comes from the environment (12-factor) with a default that works for
development. With DEBUG off, the settings refuse to load without SECRET_KEY and
ALLOWED_HOSTS, so a production server cannot start on development defaults.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# Django's debug pages for errors (a 404 listing every URL, a 500 with a traceback). `make run`
# turns them off to show readers the designed pages while keeping DEBUG's conveniences.
DEBUG_ERROR_PAGES = env_bool("DEBUG_ERROR_PAGES", DEBUG)
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY")
# Old keys whose signatures still count (links in emails already sent), while a rotation settles.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not DEBUG:
    missing = [
        name for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)) if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            f"DEBUG is off: set {' and '.join(missing)} in the environment (or set DEBUG=1 for development)."
        )
else:
    # A development-only key: it is generated per checkout and never committed.
    if not SECRET_KEY:
        key_file = VAR_DIR / "dev-secret-key"
        if not key_file.exists():
            import secrets

            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
        SECRET_KEY = key_file.read_text().strip()
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The server's port (gunicorn.conf.py binds it), so a development copy on PORT=8801 writes its
# absolute links (emails, feeds, canonical and share links) to itself unless SITE_URL says where.
PORT = env("PORT", "8000")
SITE_URL = env("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
SITE_NAME = env("SITE_NAME", "The Canary")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    "canary.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "taggit",
    "django_prose_editor",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "core",
    "articles",
    "supporters",
    "newsletters",
    "mailroom",
    "readership",
    # Last, so that its post_migrate role sync runs after every app's permissions exist.
    "canary",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Readership's beacon, answered before the page cache, sessions, CSRF and auth (never a cookie).
    "readership.beacon.BeaconMiddleware",
    # Right after SecurityMiddleware: the HTTPS redirect still applies, and a cache hit
    # skips sessions, auth and CSRF entirely.
    "canary.page_cache.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the database middleware, whose own answer to an outage (503) comes first.
    "canary.errors.DesignedErrorPagesMiddleware",
    "canary.middleware.DatabaseUnavailableMiddleware",
    "canary.middleware.SecurityHeadersMiddleware",
    "canary.csp.CanaryCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "canary.security.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.middleware.OldPathMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Where the admin's sign-in goes when its ?next= is refused (another site): the admin, not
# Django's default /accounts/profile/, which is a 404 here. Password sign-in is the admin's only.
LOGIN_REDIRECT_URL = "admin:index"
# Staff sign-in: five wrong passwords for one username from one address lock it for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_ip"
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "canary.urls"
WSGI_APPLICATION = "canary.wsgi.application"

READER_CONTEXT_PROCESSORS = [
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "canary.context_processors.site",
    "articles.context_processors.navigation_links",
    "supporters.context_processors.membership",
]
TEMPLATES = [
    {
        # The reader's pages, in Jinja2 for speed (canary/templating.py says why).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "canary.templating.environment",
            "context_processors": READER_CONTEXT_PROCESSORS,
        },
    },
    {
        # The admin, with our overrides in templates/admin/.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["django.template.context_processors.request", *READER_CONTEXT_PROCESSORS],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast when PostgreSQL is away, so the reader gets a 503 in seconds. A server or
        # network that goes silent mid-query is noticed by TCP keepalives (an idle connection)
        # and the user timeout (data sent and never acknowledged), not after the kernel's hours.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5),
            keepalives=1,
            keepalives_idle=env_int("DATABASE_KEEPALIVE_SECONDS", 5),
            keepalives_interval=env_int("DATABASE_KEEPALIVE_SECONDS", 5),
            keepalives_count=2,
            tcp_user_timeout=env_int("DATABASE_TCP_TIMEOUT", 10) * 1000,
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "canary.sqlite3",
            # Kept between requests, as on PostgreSQL: opening SQLite reads the whole schema.
            "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
            "OPTIONS": {
                # Writers queue for the lock instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------

REDIS_URL = env("REDIS_URL")
# After Redis times out or refuses, each process leaves it alone this long, serving pages
# uncached, then tries again (canary/redis_breaker.py): a hung Redis costs one timeout a pause.
REDIS_RETRY_SECONDS = env_int("REDIS_RETRY_SECONDS", 5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "canary.cache_backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "canary"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "canary",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# The page cache (canary/page_cache.py). The generation number that keys every entry is
# shared by all workers: in Redis when configured, otherwise in this file.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# Reader-page queries compiled to SQL once per process (core/compiled_queries.py), a trick that
# leans on Django's internals: COMPILED_QUERIES=0 runs each as its plain queryset instead.
COMPILED_QUERIES = env_bool("COMPILED_QUERIES", True)
# The pieces built with f-strings (articles/story_parts.py) rather than the Jinja macros of
# templates/jinja2/includes/story_parts.html, the same HTML: all of them by default, none with
# PYTHON_STORY_PARTS=0, or some by name (PYTHON_STORY_PARTS=teaser,picture).
STORY_PARTS = ("teaser", "picture", "comment_list")
PYTHON_STORY_PARTS = {
    "": list(STORY_PARTS),
    "1": list(STORY_PARTS),
    "0": [],
}.get(env("PYTHON_STORY_PARTS").strip(), env_list("PYTHON_STORY_PARTS"))
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Lists (sections, tags, authors, search) page through this many pages of 20 at most, so
# neither their count nor their deepest page grows with the archive; older stories are in
# the month archive. Search ranks its matches among the newest this many pages' worth.
LIST_MAX_PAGES = env_int("LIST_MAX_PAGES", 50)
PAGE_CACHE_SHARED_MAX_AGE = env_int("PAGE_CACHE_SHARED_MAX_AGE", 30)
PAGE_CACHE_GENERATION_FILE = (
    None if REDIS_URL else Path(env("PAGE_CACHE_GENERATION_FILE", str(VAR_DIR / "cache" / "generation")))
)
# Models whose saves and deletes change what readers see: each save of one empties every
# cached page, so counters, deliveries, history and other bookkeeping never join (named one
# by one, and tests/test_watched_models.py lists them). A model instance can opt out of a
# particular change with a `changes_reader_pages` attribute (a pending comment, say).
PAGE_CACHE_MODELS = [
    "articles.Article",
    "articles.ActionLink",
    "articles.ArticleTag",
    "articles.Author",
    "articles.Comment",
    "articles.Correction",
    "articles.Image",
    "articles.OldPath",
    "articles.Page",
    "articles.Section",
    "taggit.Tag",
    "supporters.CallToAction",
    "supporters.AdSlot",
    "supporters.HouseAd",
    "supporters.GivingPage",
    # The sign-up form on cached pages lists the newsletters; subscriptions change no page.
    "newsletters.Newsletter",
]
# Callables that return the next time published content changes by the clock alone
# (a scheduled article, comments closing, a call to action starting or ending).
PAGE_CACHE_SCHEDULES = ["articles.schedule.next_change", "supporters.schedule.next_change"]

# Sessions stay in the database, so a Redis restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks --------------------------------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_RETRY_LIMIT = env_int("TASK_RETRY_LIMIT", 8)
TASK_RETRY_MAX_DELAY = env_int("TASK_RETRY_MAX_DELAY", 3600)
# How often the clock sweeps the outbox for emails whose delivery task was lost.
SWEEP_SECONDS = env_int("SWEEP_SECONDS", 60)
# The clock (core/clock.py): how often a worker looks for due jobs, how long a claimed job is
# a worker's before another may take it over, how often a failing job is tried, and how long
# finished runs stay listed in the admin.
CLOCK_TICK_SECONDS = env_int("CLOCK_TICK_SECONDS", 5)
CLOCK_LEASE_SECONDS = env_int("CLOCK_LEASE_SECONDS", 300)
CLOCK_RETRY_LIMIT = env_int("CLOCK_RETRY_LIMIT", 5)
CLOCK_KEEP_DAYS = env_int("CLOCK_KEEP_DAYS", 30)

# --- Email ------------------------------------------------------------------------------

EMAIL_URL = env("EMAIL_URL", "console://")


def _email_settings(url):
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme in {"smtp", "smtps", "submission"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or {"smtp": 25, "smtps": 465, "submission": 587}[parts.scheme],
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": parts.scheme == "submission",
            "EMAIL_TIMEOUT": 10,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {parts.scheme!r} is not one of console, locmem, smtp, smtps, submission."
    )


globals().update(_email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "The Canary <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The co-op's legal details, at the foot of every email (UK law asks a society to name itself).
COOP_LEGAL_NAME = env("COOP_LEGAL_NAME", f"{SITE_NAME} Co-operative (demo)")
COOP_REGISTERED_NUMBER = env("COOP_REGISTERED_NUMBER", "not set (COOP_REGISTERED_NUMBER)")
COOP_ADDRESS = env("COOP_ADDRESS", "No postal address set (COOP_ADDRESS)")
COOP_CONTACT_EMAIL = env("COOP_CONTACT_EMAIL", "newsroom@localhost")

# --- Static and media --------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "canary.storage.StaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests and development never 500 because collectstatic has not been run.
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_MAX_AGE = 60 if DEBUG else 3600
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Security ---------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The proxy and the orchestrator probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
# Preload and subdomains bind the co-op's whole domain for months: opt in deliberately.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
ADMIN_PATH = env("ADMIN_PATH", "admin/").strip("/") + "/"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Locale -----------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Logging: one line per event on stdout ------------------------------------------------

LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "canary.logging.OneLineFormatter"}},
    "filters": {"expected_stop": {"()": "canary.logging.ExpectedStopIsInfo"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": sys.stdout,
            "formatter": "line",
            "filters": ["expected_stop"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # The stripe library logs every API call at INFO; its errors reach us as exceptions.
        "stripe": {"level": "WARNING"},
        # django-axes narrates every sign-in at INFO; canary.security logs what matters.
        "axes": {"level": "WARNING"},
    },
}

# --- Newsroom ---------------------------------------------------------------------------

# Comments on an article set to "automatic" close this many days after publication.
COMMENTS_OPEN_DAYS = env_int("COMMENTS_OPEN_DAYS", 30)
# The admin's tag box: "Rent strikes" typed alone is one tag (taggit would make two).
TAGGIT_TAGS_FROM_STRING = "articles.tag_input.tags_from_string"
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
# import_wordpress without --media-dir: seconds for one picture's whole download, and how many
# redirects it may follow (each one checked: public addresses only).
WORDPRESS_DOWNLOAD_TIMEOUT = env_int("WORDPRESS_DOWNLOAD_TIMEOUT", 10)
WORDPRESS_DOWNLOAD_REDIRECTS = env_int("WORDPRESS_DOWNLOAD_REDIRECTS", 5)

# HSTS preload and includeSubDomains are opt-in (see above); their deploy-check warnings
# are silenced only while the co-op has not opted in, so a deliberate choice stays quiet.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
# A reader needs at least this long between seeing the comment form and posting it.
COMMENT_MIN_SECONDS = env_int("COMMENT_MIN_SECONDS", 3)
# ... and at most this long: the form's signed time stamp then no longer lets anyone post.
COMMENT_FORM_MAX_MINUTES = env_int("COMMENT_FORM_MAX_MINUTES", 180)
COMMENT_RATE_LIMIT = env_int("COMMENT_RATE_LIMIT", 5)
# A comment with more links than this waits for a moderator, whoever wrote it.
COMMENT_MAX_LINKS = env_int("COMMENT_MAX_LINKS", 2)

# --- Supporters ---------------------------------------------------------------------------

PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", "dev" if DEBUG else "stripe")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET")
STRIPE_PRODUCT_ID = env("STRIPE_PRODUCT_ID")
# A one-off gift makes the giver a member for this many days.
ONE_OFF_MEMBERSHIP_DAYS = env_int("ONE_OFF_MEMBERSHIP_DAYS", 30)
# A plan whose payment failed keeps its member benefits this long.
PAST_DUE_GRACE_DAYS = env_int("PAST_DUE_GRACE_DAYS", 14)
DONATION_MIN_PENCE = env_int("DONATION_MIN_PENCE", 100)
DONATION_MAX_PENCE = env_int("DONATION_MAX_PENCE", 1_000_000)
SIGN_IN_LINK_MINUTES = env_int("SIGN_IN_LINK_MINUTES", 15)
# Members stay signed in for months unless they sign out.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 180 * 24 * 3600)
# Staff sessions end after this long without a request (see canary.security).
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 4 * 3600)
# Editors, finance staff and superusers must sign in with a second factor (see canary.two_factor).
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", not DEBUG)
# The roles (canary/roles.py) that must use an authenticator app, besides superusers.
STAFF_TWO_FACTOR_ROLES = ("Editor", "Finance")
OTP_TOTP_ISSUER = SITE_NAME
DONATION_RATE_LIMIT = env_int("DONATION_RATE_LIMIT", 10)
SIGN_IN_RATE_LIMIT = env_int("SIGN_IN_RATE_LIMIT", 5)
# Newsletter sign-ups: per client a minute (an office behind one address signs up together),
# and per email address an hour (nobody fills a stranger's inbox with confirmation emails).
NEWSLETTER_SIGNUP_RATE_LIMIT = env_int("NEWSLETTER_SIGNUP_RATE_LIMIT", 20)
NEWSLETTER_ADDRESS_RATE_LIMIT = env_int("NEWSLETTER_ADDRESS_RATE_LIMIT", 5)
# Uncached searches a minute per address (cached result pages cost nothing and are not counted).
SEARCH_RATE_LIMIT = env_int("SEARCH_RATE_LIMIT", 30)
# Appeal and house-ad clicks counted a minute per address; more still go through, uncounted.
CLICK_RATE_LIMIT = env_int("CLICK_RATE_LIMIT", 10)

# Readership (readership/): beacons counted a minute per client (more still get their 204),
# and without Redis counts are written in batches of this many, or this often.
READERSHIP_RATE_LIMIT = env_int("READERSHIP_RATE_LIMIT", 60)
READERSHIP_BATCH_SIZE = env_int("READERSHIP_BATCH_SIZE", 200)
READERSHIP_BATCH_SECONDS = env_int("READERSHIP_BATCH_SECONDS", 10)
# The static page that says what is counted and carries the button to object.
READERSHIP_PRIVACY_PAGE_SLUG = env("READERSHIP_PRIVACY_PAGE_SLUG", "privacy")
# The static page a withdrawn article's notice points to, when it exists.
CORRECTIONS_PAGE_SLUG = env("CORRECTIONS_PAGE_SLUG", "complaints-and-corrections")
# Where to report a vulnerability; shown in the README and at /.well-known/security.txt.
SECURITY_CONTACT = env("SECURITY_CONTACT", "mailto:security@example.org")
