"""Shared helpers for the editorial desk's tests: staff accounts and the article admin form."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from articles.models import Article, Author

PASSWORD = "a-long-test-password-1"
CHANGE = "/admin/articles/article/{}/change/"
ADD = "/admin/articles/article/add/"


def staff(username, role, *, byline=False):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if byline:
        Author.objects.create(name=username.title(), slug=username, user=user)
    return user


def signed_in(user):
    """A browser signed in as this staff member."""
    client = Client()
    client.force_login(user)
    return client


def _split(moment):
    if moment is None:
        return "", ""
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def article_form(article=None, **overrides):
    """The POST of the article change (or add) form, as a browser sends it."""
    tags = list(article.tags.names()) if article else []
    data = {
        "headline": article.headline if article else "A new story",
        "slug": article.slug if article else "",
        "standfirst": article.standfirst if article else "What happened.",
        "body": article.body if article else "<p>Words.</p>",
        "section": article.section_id if article else "",
        "authors": [a.pk for a in article.authors.all()] if article else [],
        "tags": ", ".join(tags) + ("," if tags else ""),
        "status": article.status if article else Article.Status.DRAFT,
        "placement": article.placement if article else "",
        "comments": article.comments if article else Article.Comments.AUTO,
        "featured_image": article.featured_image_id or "" if article else "",
        "opened_version": article.version if article else "",
    }
    published = article.published_at if article else None
    pinned = article.pinned_until if article else None
    data["published_at_0"], data["published_at_1"] = _split(published)
    data["pinned_until_0"], data["pinned_until_1"] = _split(pinned)
    links = list(article.action_links.all()) if article else []
    data.update(
        {
            "action_links-TOTAL_FORMS": str(len(links)),
            "action_links-INITIAL_FORMS": str(len(links)),
            "action_links-MIN_NUM_FORMS": "0",
            "action_links-MAX_NUM_FORMS": "1000",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": str(article.corrections.count() if article else 0),
            "corrections-MIN_NUM_FORMS": "0",
            "corrections-MAX_NUM_FORMS": "1000",
        }
    )
    for index, link in enumerate(links):
        data.update(
            {
                f"action_links-{index}-id": link.pk,
                f"action_links-{index}-article": article.pk,
                f"action_links-{index}-label": link.label,
                f"action_links-{index}-url": link.url,
                f"action_links-{index}-position": link.position,
            }
        )
    if article is not None:
        for index, note in enumerate(article.corrections.all()):
            data.update(
                {
                    f"corrections-{index}-id": note.pk,
                    f"corrections-{index}-article": article.pk,
                    f"corrections-{index}-kind": note.kind,
                    f"corrections-{index}-text": note.text,
                }
            )
        data["corrections-TOTAL_FORMS"] = str(article.corrections.count())
    for name, value in overrides.items():
        if name in ("published_at", "pinned_until"):
            data[f"{name}_0"], data[f"{name}_1"] = _split(value)
        else:
            data[name] = value
    return data


def form_errors(response):
    """Every error message on an admin form page, as one string."""
    context = response.context
    if context is None or "adminform" not in context:
        return ""
    form = context["adminform"].form
    messages = [str(error) for errors in form.errors.values() for error in errors]
    for formset in context.get("inline_admin_formsets", []):
        messages += [str(e) for form_errors in formset.formset.errors for e in form_errors.values()]
        messages += [str(e) for e in formset.formset.non_form_errors()]
    return " ".join(messages)
