"""The database, cache and email server settings, each built from one URL in the environment.

canary/settings.py calls these with the URLs it reads; the tuning knobs beside each (timeouts,
connection age, the cache's key prefix) are read from the environment here.
"""

import json
import os
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from canary.environment import env, env_int


def database_settings(url, var_dir):
    """DATABASE_URL's database, or without one an SQLite file in the var folder."""
    if url:
        database = dj_database_url.parse(
            url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        )
        if database["ENGINE"] == "django.db.backends.postgresql":
            # Fail fast when PostgreSQL is away, so the reader gets a 503 in seconds. A server or
            # network that goes silent mid-query is noticed by TCP keepalives (an idle connection)
            # and the user timeout (data sent and never acknowledged), not after the kernel's hours.
            database.setdefault("OPTIONS", {}).update(
                connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5),
                keepalives=1,
                keepalives_idle=env_int("DATABASE_KEEPALIVE_SECONDS", 5),
                keepalives_interval=env_int("DATABASE_KEEPALIVE_SECONDS", 5),
                keepalives_count=2,
                tcp_user_timeout=env_int("DATABASE_TCP_TIMEOUT", 10) * 1000,
            )
        return database
    var_dir.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": var_dir / "canary.sqlite3",
        # Kept between requests, as on PostgreSQL: opening SQLite reads the whole schema.
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
        "OPTIONS": {
            # Writers queue for the lock instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def cache_settings(redis_url):
    """Redis when REDIS_URL is set (shared by every worker), otherwise each process's memory."""
    if redis_url:
        return {
            "BACKEND": "canary.cache_backend.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "canary"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "canary",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }


# The providers django-anymail sends through, by the names its backends (and URLs) use.
ANYMAIL_PROVIDERS = (
    "amazon_ses",
    "brevo",
    "mailersend",
    "mailgun",
    "mailjet",
    "mailtrap",
    "mandrill",
    "postal",
    "postmark",
    "resend",
    "scaleway",
    "sendgrid",
    "sparkpost",
    "unisender_go",
)


def email_settings(url):
    """EMAIL_URL as Django's EMAIL_* settings: console://, locmem://, smtp://, smtps://,
    submission://, or anymail://<provider> for a provider's HTTP API through django-anymail."""
    parts = urlsplit(url)
    if parts.scheme == "anymail":
        provider = (parts.hostname or "").replace("-", "_")
        if provider not in ANYMAIL_PROVIDERS:
            raise ImproperlyConfigured(
                f"anymail://{parts.hostname or ''} names no provider; use one of {', '.join(ANYMAIL_PROVIDERS)}."
            )
        return {"EMAIL_BACKEND": f"anymail.backends.{provider}.EmailBackend"}
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
        f"EMAIL_URL scheme {parts.scheme!r} is not one of console, locmem, smtp, smtps, submission, anymail."
    )


def anymail_provider(url):
    """The provider an anymail:// URL names, or None for any other URL."""
    backend = email_settings(url)["EMAIL_BACKEND"] if url.startswith("anymail:") else ""
    return backend.split(".")[2] if backend else None


def _anymail_value(value):
    """A JSON object as a dict, true/false as a boolean (a bare "false" string would count as
    true to anymail, as AMAZON_SES_AUTO_CONFIRM_SNS_SUBSCRIPTIONS=false would), else the text."""
    if value.lstrip().startswith("{"):
        return json.loads(value)
    return {"true": True, "false": False}.get(value.strip().lower(), value)


def anymail_settings(providers, environ=os.environ):
    """django-anymail's ANYMAIL setting, from the variables each provider's docs name.

    For the providers in use, every <PROVIDER>_<NAME> (MAILGUN_API_KEY, POSTMARK_SERVER_TOKEN,
    SENDGRID_API_URL...) or ANYMAIL_<PROVIDER>_<NAME> in the environment becomes
    ANYMAIL["<PROVIDER>_<NAME>"]; a value that is a JSON object (AMAZON_SES_CLIENT_PARAMS) is
    read as one, and true or false as a boolean. ANYMAIL_WEBHOOK_SECRET ("user:password", comma-separated for a rotation) is
    the basic auth every tracking webhook must carry.
    """
    found = {}
    for provider in providers:
        prefix = provider.upper() + "_"
        # The ANYMAIL_-prefixed spelling last, so that it wins over the bare one.
        for name, value in sorted(environ.items(), key=lambda item: item[0].startswith("ANYMAIL_")):
            bare = name.removeprefix("ANYMAIL_")
            if bare.startswith(prefix) and value:
                found[bare] = _anymail_value(value)
    secrets = [item.strip() for item in environ.get("ANYMAIL_WEBHOOK_SECRET", "").split(",") if item.strip()]
    if secrets:
        found["WEBHOOK_SECRET"] = secrets
    return found
