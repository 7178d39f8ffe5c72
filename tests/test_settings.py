"""Production settings: refuse to start half-configured, and pass Django's deploy checks."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "news.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://news.example.org",
    "SITE_URL": "https://news.example.org",
}


def manage(*args, env):
    unset = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key_and_hosts():
    result = manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "DEBUG is off: set SECRET_KEY and ALLOWED_HOSTS in the environment" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", env={"DEBUG": "0", "SECRET_KEY": "y" * 64})
    assert result.returncode != 0
    assert "set ALLOWED_HOSTS" in result.stderr


def test_deploy_checks_pass_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_health_check_is_exempt_from_the_https_redirect():
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client();"
        "print(c.get('/healthz').status_code, c.get('/').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            **PRODUCTION,
            "DJANGO_SETTINGS_MODULE": "canary.settings",
            "ALLOWED_HOSTS": "testserver",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    healthz, home = result.stdout.split()[-2:]
    assert home == "301"
    assert healthz in ("200", "503")


def test_production_pages_render_before_collectstatic(tmp_path):
    """A missing manifest (collectstatic not run yet) must not turn every page into a 500."""
    code = (
        "import django; django.setup();"
        "from django.templatetags.static import static;"
        "from django.template.loader import render_to_string;"
        "page = render_to_string('500.html');"
        "print(static('css/site.css'), 'site.css' in page)"
    )
    env = {
        **os.environ,
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "canary.settings",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split()[-2:] == ["/static/css/site.css", "True"]
