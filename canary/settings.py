"""Canary's one settings module.

Every setting comes from the environment (12-factor) with a default that works for
development. With DEBUG off, the settings refuse to load without SECRET_KEY and
ALLOWED_HOSTS, so a production server cannot start on development defaults.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from canary import limits
from canary.connections import (
    anymail_provider,
    anymail_settings,
    cache_settings,
    database_settings,
    email_settings,
)
from canary.csp_policy import content_security_policy
from canary.environment import env, env_bool, env_int, env_links, env_list
from canary.logging import logging_settings
from canary.media_storage import media_settings

BASE_DIR = Path(__file__).resolve().parent.parent
# templates/ and static/: inside the canary package in an installed wheel (setup.py puts them
# there), beside the apps in a checkout.
FILES_DIR = Path(__file__).resolve().parent
FILES_DIR = FILES_DIR if (FILES_DIR / "templates").is_dir() else BASE_DIR


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
    "core.tag_app.TagsConfig",  # django-taggit, named "Tags" in the admin
    "django_prose_editor",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "anymail",
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
# Where a reader's page that needs signing in sends them: the supporters' email sign-in.
LOGIN_URL = "supporters:sign-in"
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
        "DIRS": [FILES_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "canary.templating.environment",
            "context_processors": READER_CONTEXT_PROCESSORS,
        },
    },
    {
        # The admin, with our overrides in templates/admin/.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [FILES_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["django.template.context_processors.request", *READER_CONTEXT_PROCESSORS],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

DATABASE_URL = env("DATABASE_URL")
DATABASES = {"default": database_settings(DATABASE_URL, VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------

REDIS_URL = env("REDIS_URL")
# After Redis times out or refuses, each process leaves it alone this long, serving pages
# uncached, then tries again (canary/redis_breaker.py): a hung Redis costs one timeout a pause.
REDIS_RETRY_SECONDS = env_int("REDIS_RETRY_SECONDS", 5)
CACHES = {"default": cache_settings(REDIS_URL)}

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
    # A draft or a send in progress changes no page; the issue says so (changes_reader_pages).
    "newsletters.Issue",
]
# Callables that return the next time published content changes by the clock alone
# (a scheduled article, comments closing, a call to action starting or ending).
PAGE_CACHE_SCHEDULES = ["articles.schedule.next_change", "supporters.schedule.next_change"]

# Purging at a CDN (CDN_PURGE and its keys, docs/production.md "Purge at the CDN"): canary/cdn_settings.py.
from canary.cdn_settings import *  # noqa: E402, F403 (settings)

# Sessions stay in the database, so a Redis restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks --------------------------------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_RETRY_LIMIT = env_int("TASK_RETRY_LIMIT", 8)
TASK_RETRY_MAX_DELAY = env_int("TASK_RETRY_MAX_DELAY", 3600)
# How often the clock sweeps the outbox for emails whose delivery task was lost.
SWEEP_SECONDS = env_int("SWEEP_SECONDS", 60)
# An email neither attempted nor in a worker's hands for this long has lost its task: the sweep
# gives it a new one. Longer than any one delivery may take (the SMTP timeouts, EMAIL_TIMEOUT).
MAIL_STRANDED_SECONDS = env_int("MAIL_STRANDED_SECONDS", 300)
# The clock (core/clock.py): how often a worker looks for due jobs, how long a claimed job is
# a worker's before another may take it over, how often a failing job is tried, and how long
# finished runs stay listed in the admin.
CLOCK_TICK_SECONDS = env_int("CLOCK_TICK_SECONDS", 5)
CLOCK_LEASE_SECONDS = env_int("CLOCK_LEASE_SECONDS", 300)
CLOCK_RETRY_LIMIT = env_int("CLOCK_RETRY_LIMIT", 5)
CLOCK_KEEP_DAYS = env_int("CLOCK_KEEP_DAYS", 30)

# --- Email ------------------------------------------------------------------------------

EMAIL_URL = env("EMAIL_URL", "console://")
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "The Canary <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Newsletters go out by their own route and sender when these are set, so a complaint about
# bulk mail never delays a sign-in link; unset, they share EMAIL_URL and DEFAULT_FROM_EMAIL.
NEWSLETTER_EMAIL_URL = env("NEWSLETTER_EMAIL_URL", "")
NEWSLETTER_EMAIL = email_settings(NEWSLETTER_EMAIL_URL) if NEWSLETTER_EMAIL_URL else None
NEWSLETTER_FROM_EMAIL = env("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# anymail://<provider> in either URL: the provider's keys from its usual variables (MAILGUN_API_KEY,
# POSTMARK_SERVER_TOKEN...), and ANYMAIL_WEBHOOK_SECRET for its tracking webhooks.
ANYMAIL_PROVIDERS = {anymail_provider(EMAIL_URL), anymail_provider(NEWSLETTER_EMAIL_URL)} - {None}
ANYMAIL = anymail_settings(ANYMAIL_PROVIDERS)
# How newsletters are sent and how long an unconfirmed sign-up waits: canary/newsletter_settings.py.
from canary.newsletter_settings import *  # noqa: E402, F403 (settings)

# The co-op's legal details, at the foot of every email (UK law asks a society to name itself).
COOP_LEGAL_NAME = env("COOP_LEGAL_NAME", f"{SITE_NAME} Co-operative (demo)")
COOP_REGISTERED_NUMBER = env("COOP_REGISTERED_NUMBER", "not set (COOP_REGISTERED_NUMBER)")
COOP_ADDRESS = env("COOP_ADDRESS", "No postal address set (COOP_ADDRESS)")
COOP_CONTACT_EMAIL = env("COOP_CONTACT_EMAIL", "newsroom@localhost")
# The co-op's own accounts elsewhere, linked (never loaded) from the footer:
# "Mastodon=https://…,Bluesky=https://…". None by default: a demo invents no accounts.
COOP_SOCIAL_LINKS = env_links("COOP_SOCIAL_LINKS")

# --- Static and media --------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
STATICFILES_DIRS = [FILES_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# The bucket when AWS_STORAGE_BUCKET_NAME is set (canary/media_storage.py), else MEDIA_ROOT.
MEDIA_STORAGE, MEDIA_URL, MEDIA_ORIGIN = media_settings(env("MEDIA_URL", "/media/"))
# Readers' browsers load pictures from the media host and from nowhere else of anyone's.
CONTENT_SECURITY_POLICY = content_security_policy(MEDIA_ORIGIN)
# How long /healthz waits for the media storage before calling it slow.
MEDIA_HEALTH_TIMEOUT = float(env("MEDIA_HEALTH_TIMEOUT", "2"))
STORAGES = {
    "default": MEDIA_STORAGE,
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
LOGGING = logging_settings(LOG_LEVEL)

# --- The co-op's rules and limits (canary/limits.py) -----------------------------------------

globals().update({name: value for name, value in vars(limits).items() if name.isupper()})

# --- Newsroom ---------------------------------------------------------------------------


# HSTS preload and includeSubDomains are opt-in (see above); their deploy-check warnings
# are silenced only while the co-op has not opted in, so a deliberate choice stays quiet.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]

# --- Supporters ---------------------------------------------------------------------------

PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", "dev" if DEBUG else "stripe")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET")
STRIPE_PRODUCT_ID = env("STRIPE_PRODUCT_ID")
# Members stay signed in for months unless they sign out.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 180 * 24 * 3600)
# Staff sessions end after this long without a request (see canary.security).
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 4 * 3600)
# Editors, finance staff and superusers must sign in with a second factor (see canary.two_factor).
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", not DEBUG)
# The roles (canary/roles.py) that must use an authenticator app, besides superusers.
STAFF_TWO_FACTOR_ROLES = ("Editor", "Finance")
OTP_TOTP_ISSUER = SITE_NAME
# Where to report a vulnerability; shown in the README and at /.well-known/security.txt.
SECURITY_CONTACT = env("SECURITY_CONTACT", "mailto:security@canary.example")
