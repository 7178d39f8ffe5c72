"""What a process remembers between requests is forgotten by what should reset it (canary.memos)."""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path, set_script_prefix
from django.utils import translation
from django.utils.module_loading import import_string

from articles import article_page
from articles.comment_forms import blank_fields
from articles.factories import make_article
from articles.story_parts import day_and_time
from canary.csp import site_policy
from canary.memos import MEMOS
from canary.page_cache_requests import params_read_by
from canary.templating import cached_static
from core.compiled_queries import DECLARED
from core.links import link


def moved_home(request):
    return HttpResponse("moved")


moved_home.page_cache_params = ("edition",)
# A URLconf of this module's own, for the tests that move the site's URLs.
urlpatterns = [
    path("", moved_home),
    path("moved/tag/<slug:slug>/", moved_home, name="tag"),
]


def test_every_listed_memo_is_where_the_list_says():
    for where, _ in MEMOS:
        assert import_string(where) is not None, where


def test_a_link_follows_the_urlconf_and_the_script_prefix():
    assert link("articles:tag", "housing") == "/tag/housing/"
    with override_settings(ROOT_URLCONF="tests.test_memos"):
        assert link("tag", "housing") == "/moved/tag/housing/"
    set_script_prefix("/news/")
    try:
        assert link("articles:tag", "housing") == "/news/tag/housing/"
    finally:
        set_script_prefix("/")
    assert link("articles:tag", "housing") == "/tag/housing/"


@pytest.mark.django_db
def test_the_compiled_sql_is_made_again_for_other_databases():
    story = make_article("Compiled once")
    with override_settings(COMPILED_QUERIES=True):
        assert article_page.published_article(story.slug) == story
    assert any(getattr(query, "_compiled", None) for query in DECLARED)
    setting_changed.send(sender=None, setting="DATABASES", value=django_settings.DATABASES, enter=True)
    assert not any(
        getattr(query, "_compiled", None) or getattr(query, "_by_count", None) for query in DECLARED
    )
    with override_settings(COMPILED_QUERIES=True):
        assert article_page.published_article(story.slug) == story


def test_static_addresses_follow_the_static_settings():
    before = cached_static("css/site.css")
    with override_settings(STATIC_URL="/elsewhere/"):
        assert cached_static("css/site.css").startswith("/elsewhere/")
    assert cached_static("css/site.css") == before


def test_a_formatted_day_is_kept_per_language():
    moment = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    assert day_and_time(moment) == "Tuesday 1 December 2026, 09:30"
    with translation.override("de"):
        assert day_and_time(moment) == "Dienstag 1 Dezember 2026, 09:30"
    assert day_and_time(moment) == "Tuesday 1 December 2026, 09:30"


def test_the_blank_comment_form_follows_the_templates():
    before = blank_fields()
    assert 'name="email"' in before
    moved = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"includes/comment_fields.html": "moved"})
                ]
            },
        }
    ]
    with override_settings(TEMPLATES=moved):
        assert blank_fields() == "moved"
    assert blank_fields() == before


def test_the_csp_header_follows_its_settings():
    before = site_policy()
    changed = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        assert site_policy() == "default-src 'none'"
    assert site_policy() == before


def test_the_parameters_a_page_reads_follow_the_urlconf():
    before = params_read_by("/")
    with override_settings(ROOT_URLCONF="tests.test_memos"):
        assert params_read_by("/") == ("edition",)
    assert params_read_by("/") == before


@pytest.mark.django_db
def test_the_per_worker_copy_of_a_page_goes_with_its_cache(on_redis, anonymous, settings):
    make_article("Kept a while")
    anonymous.get("/")
    assert anonymous.get("/")["X-Cache"] == "hit"
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"canary-test-{secrets.token_hex(4)}"}
    }
    assert anonymous.get("/")["X-Cache"] == "miss"
