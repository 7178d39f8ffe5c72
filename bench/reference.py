"""The reference: Django's smallest view, a page of the article page's size, nothing else.

A settings module and URLconf in one, for ``DJANGO_SETTINGS_MODULE=bench.reference``: the
middleware of a new ``startproject``, no database, no templates. ``make bench`` serves it
with the same gunicorn configuration as Canary and divides every figure by its figure, so
ratios can be compared across machines. ``REFERENCE_BYTES`` sets the size of the page.
"""

import os
import secrets

from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.reference"
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]
DATABASES = {}
USE_TZ = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
LOGGING_CONFIG = None

_SIZE = int(os.environ.get("REFERENCE_BYTES", "20000"))
_FILLER = "<p>" + "All work and no play makes a dull page. " * 4 + "</p>\n"
_HEAD = "<!doctype html>\n<html lang=en><title>Reference</title><body>\n"
PAGE = (_HEAD + _FILLER * (_SIZE // len(_FILLER) + 1))[:_SIZE].encode()


def page(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]
