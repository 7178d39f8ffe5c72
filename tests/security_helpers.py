"""Shared pieces of the security tests: hostile input, an HTML inspector, and people in every role."""

from datetime import timedelta
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from supporters.models import Plan, SignInToken, Supporter

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
# What a reader, a contributor or an import may type into any text field.
PAYLOADS = (SCRIPT, BREAKOUT, JS_URL)
# Every field gets all three at once, so one page shows whether any of them got through.
HOSTILE = f"Eve {SCRIPT} {BREAKOUT} {JS_URL}"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href"}

PASSWORD = "a-long-test-password-1"
ROLES = ("Contributor", "Moderator", "Finance", "Editor", "Audience")


class Markup(HTMLParser):
    """Every element and attribute a browser would build from a page."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, {attribute: value}, text of a script element)
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}, ""))
        if tag == "script":
            self._script = len(self.elements) - 1

    def handle_data(self, data):
        if self._script is not None:
            tag, attrs, text = self.elements[self._script]
            self.elements[self._script] = (tag, attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def dangerous_markup(html, admin=False):
    """What would run in a browser from this page, beyond our own external scripts: empty when safe.

    The admin's own pages also carry JSON data blocks, its import map and same-site scripts.
    """
    found = []
    for tag, attrs, text in Markup(html).elements:
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            squeezed = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(("javascript:", "vbscript:", "data:text")):
                found.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            kind = attrs.get("type", "")
            if kind == "application/ld+json":
                if "<" in text:
                    found.append("a < inside JSON-LD")
            elif admin and kind in ("application/json", "importmap"):
                if "</" in text:
                    found.append(f"markup inside a {kind} script")
            elif admin and attrs.get("src", "").startswith("/") and not attrs["src"].startswith("//"):
                pass
            elif not attrs.get("src", "").startswith("/static/") or text.strip():
                found.append(f"<script {attrs}>{text[:40]}")
        if tag in ("iframe", "frame", "object", "embed", "base", "form") and "alert" in str(attrs):
            found.append(f"<{tag} {attrs}>")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            found.append(f"<meta {attrs}>")
    return found


def assert_escaped(html, payloads=PAYLOADS, admin=False):
    """No payload reaches the page as markup: it shows only as text, and nothing of it runs."""
    for payload in payloads:
        if "<" in payload or '"' in payload:
            assert payload not in html, f"unescaped payload {payload!r} in the page"
    found = dangerous_markup(html, admin=admin)
    assert found == [], found


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


# --- People ---------------------------------------------------------------------------------------


def staff_user(role, username=None):
    username = username or role.lower()
    user = get_user_model().objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def supporter_user(email="member@example.com", name="Mem Ber"):
    """A signed-in supporter with a running monthly plan: a reader's account, no staff rights."""
    user = get_user_model().objects.create_user(f"supporter-{email}", email, first_name=name)
    user.set_unusable_password()
    user.save()
    supporter = Supporter.objects.create(email=email, name=name, user=user)
    plan = Plan.objects.create(
        supporter=supporter,
        frequency="monthly",
        amount_pence=500,
        provider="dev",
        status=Plan.Status.ACTIVE,
        provider_subscription_id=f"dev_sub_{supporter.pk}",
        current_period_end=timezone.now() + timedelta(days=20),
    )
    return user, supporter, plan


def signed_in(user, **client_options):
    """A browser signed in as this user: staff by password, a supporter by emailed link."""
    client = Client(**client_options)
    supporter = Supporter.objects.filter(user=user).first()
    if supporter is None:
        client.force_login(user)
    else:
        sign_in_by_link(supporter, client)
    return client


def sign_in_by_link(supporter, client):
    """Open the link a sign-in email would carry and press its button, as the supporter would.

    The button's POST is made from a browser without CSRF checks; its cookies then move to
    `client`, which may enforce them.
    """
    token = SignInToken.issue(supporter)
    browser = Client()
    response = browser.post(f"/account/login/{token}/")
    assert response.status_code == 302, response.status_code
    client.cookies.update(browser.cookies)
    return client
