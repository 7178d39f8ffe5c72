"""Every page the newsroom finish changed, checked by axe in Chromium at phone (390 px) and desktop
(1366 px) width: no violation at all, of any impact.

The module seeds the demo newsroom once (what `make run` seeds: stories, comments waiting, newsletters,
appeals, a year of supporters and gifts, readership) plus one person in each role and a paying supporter, and serves it from its own
live server for every page and width. Each page and width is a test of its own. With SHOTS_DIR set,
each page is also saved there as <page>-<width>.png.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import override_settings
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from articles import search
from articles.factories import make_article
from articles.models import Article, Author, Comment, Section
from canary import roles
from supporters.models import Supporter
from tests.security_helpers import sign_in_by_link, supporter_user

# Each test runs in a transaction rolled back at its end, over the module's seeded, committed data.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTHS = (390, 1366)

# (name, who is signed in, the page: a path or a key of the seeded newsroom's paths, its status, and
# a selector for what proves it is that page, with its content, and not an error or a login form)
READER_PAGES = [
    ("home", None, "/", 200, ".teaser--lead"),
    ("article-with-comments", None, "article", 200, ".comment-list > li.comment"),
    ("section", None, "section", 200, "main .teaser"),
    ("tag", None, "tag", 200, "main .teaser"),
    ("author", None, "author", 200, ".author-card h1"),
    ("search-results", None, "search", 200, '.list-header__description:has-text("matches")'),
    ("search-no-results", None, "/search/?q=zzyzxqwv", 200, ".search-empty"),
    ("feeds", None, "/feeds/", 200, "button[data-copy]"),
    ("newsletters", None, "/newsletters/", 200, ".newsletters__list li"),
    ("support", None, "/support/", 200, "#support-form"),
    ("support-gift", None, "/support/gift/", 200, "#gift-form"),
    ("account", "supporter", "/account/", 200, 'h1:has-text("Your account")'),
    ("sign-in", None, "/account/login/", 200, 'main form input[type="email"]'),
    ("not-found", None, "/no-such-page/", 404, "main h1"),
]
ADMIN_PAGES = [
    ("desk-editor", "editor", "/admin/", 200, '.desk-greeting:has-text("Nadia Rahman")'),
    ("desk-moderator", "moderator", "/admin/", 200, '.desk-greeting:has-text("Tomasz Wiśniewski")'),
    ("desk-finance", "finance", "/admin/", 200, '.desk-greeting:has-text("Grace Adeyemi")'),
    ("desk-contributor", "contributor", "/admin/", 200, '.desk-greeting:has-text("Ellis Marsh")'),
    ("articles-list", "editor", "/admin/articles/article/", 200, "#result_list tbody tr"),
    ("comments-list", "moderator", "/admin/articles/comment/", 200, "#result_list tbody tr"),
    (
        "moderation-queue",
        "moderator",
        "/admin/articles/comment/?status__exact=pending",
        200,
        ".moderate-buttons",
    ),
    ("article-add", "editor", "/admin/articles/article/add/", 200, ".prose-editor [contenteditable]"),
    ("article-change", "editor", "article-change", 200, ".prose-editor [contenteditable]"),
    ("donations-list", "finance", "/admin/supporters/donation/", 200, "#result_list tbody tr"),
    ("supporters-list", "finance", "/admin/supporters/supporter/", 200, "#result_list tbody tr"),
    ("subscribers-list", "audience", "/admin/newsletters/subscription/", 200, "#result_list tbody tr"),
    ("admin-not-found", "editor", "/admin/no-such-page/", 404, ".newsroom-error h1"),
    ("admin-forbidden", "contributor", "/admin/supporters/donation/", 403, ".newsroom-error h1"),
    ("call-to-action-add", "editor", "/admin/supporters/calltoaction/add/", 200, "#calltoaction_form"),
]
PAGES = READER_PAGES + ADMIN_PAGES

STAFF = {
    "editor": ("Nadia", "Rahman", roles.EDITOR),
    "moderator": ("Tomasz", "Wiśniewski", roles.MODERATOR),
    "finance": ("Grace", "Adeyemi", roles.FINANCE),
    "contributor": ("Ellis", "Marsh", roles.CONTRIBUTOR),
    "audience": ("Ruth", "Okonjo", roles.AUDIENCE),
}
PASSWORD = "a-long-test-password-1"


def staff_member(username, first, last, role):
    user = get_user_model().objects.create_user(
        username, f"{username}@canary.example", PASSWORD, first_name=first, last_name=last, is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def seed_newsroom():
    """What a first run seeds, and the people who work in it."""
    for command in ("seed_demo", "seed_newsletters", "seed_appeals", "seed_supporters", "seed_readership"):
        call_command(command, verbosity=0)
    users = {username: staff_member(username, *person) for username, person in STAFF.items()}
    # A contributor writes under their own byline and has a draft on their desk.
    author = Author.objects.create(name="Ellis Marsh", slug="ellis-marsh", user=users["contributor"])
    make_article(
        "Bus depot workers vote on the new rota",
        authors=[author],
        section=Section.objects.first(),
        standfirst="The ballot closes on Friday.",
        status=Article.Status.DRAFT,
    )
    supporter_user(email="member@canary.example", name="Morgan Lee")
    commented = (
        Article.objects.filter(comment_set__status=Comment.Status.APPROVED, status=Article.Status.PUBLISHED)
        .distinct()
        .first()
    )
    return {
        "paths": {
            "article": commented.get_absolute_url(),
            "section": commented.section.get_absolute_url(),
            "tag": f"/tag/{commented.tags.first().slug}/",
            "author": commented.authors.first().get_absolute_url(),
            "search": f"/search/?q={commented.headline.split()[0]}",
            "article-change": f"/admin/articles/article/{commented.pk}/change/",
        }
    }


def session_cookies(who, server_url):
    """The cookies of a browser signed in as `who`: staff directly, the supporter by the emailed link."""
    client = Client()
    if who == "supporter":
        sign_in_by_link(Supporter.objects.get(email="member@canary.example"), client)
    else:
        client.force_login(get_user_model().objects.get(username=who))
    return [
        {"name": name, "value": morsel.value, "url": server_url} for name, morsel in client.cookies.items()
    ]


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker, tmp_path_factory):
    """One seeded database and one live server for the whole module.

    pytest-django's own live_server fixture brings a flush of the database after every test, so
    the module runs its own server on the test database and flushes it once, at the end.
    """
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            STAFF_TWO_FACTOR_REQUIRED=False,
            PAGE_CACHE_GENERATION_FILE=None,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        seeded = seed_newsroom()
        server = LiveServer("localhost")
        try:
            with override_settings(ALLOWED_HOSTS=[*django_settings.ALLOWED_HOSTS, "localhost"]):
                seeded["url"] = server.url
                seeded["cookies"] = {who: session_cookies(who, server.url) for who in (*STAFF, "supporter")}
                seeded["media"] = media
                yield seeded
        finally:
            server.stop()
            for alias in connections:
                call_command("flush", verbosity=0, interactive=False, database=alias)
            # A flush empties the models' tables only: SQLite's FTS5 index would keep the demo's
            # stories, and a later test's index would hold them beside its own.
            search.rebuild()
            cache.clear()
            connections.close_all()  # or PostgreSQL refuses to drop the test database at the end


@pytest.fixture
def site(newsroom, settings):
    """Each test's settings (conftest gives every test a fresh media folder) point at the module's."""
    settings.MEDIA_ROOT = newsroom["media"]
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    settings.PAGE_CACHE_GENERATION_FILE = None
    return newsroom


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
@pytest.mark.parametrize("name,who,where,status,shows", PAGES, ids=[row[0] for row in PAGES])
def test_page_has_no_accessibility_violation(browser, site, name, who, where, status, shows, width):
    context = browser.new_context(base_url=site["url"], viewport={"width": width, "height": 900})
    try:
        if who:
            context.add_cookies(site["cookies"][who])
        page = context.new_page()
        page.set_default_timeout(15_000)
        path = site["paths"].get(where, where)
        response = page.goto(path)
        assert response.status == status, (path, response.status)
        # The page itself, with its content (signed in, not sent to a login form).
        expect(page.locator(shows).first).to_be_visible()
        if name.startswith("desk-"):  # each role's first page, read on a phone too: nothing sideways
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (path, width)
        if os.environ.get("SHOTS_DIR"):
            page.screenshot(path=os.path.join(os.environ["SHOTS_DIR"], f"{name}-{width}.png"), full_page=True)
        results = Axe().run(page).response
        violations = [
            (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5])
            for v in results["violations"]
        ]
        assert violations == [], f"{path} at {width}px:\n" + "\n".join(map(str, violations))
        assert results["passes"], "axe checked nothing"
    finally:
        context.close()
