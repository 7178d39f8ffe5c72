"""Previewing an unpublished article exactly as readers will see it.

Two doors: ``/preview/<id>/`` for signed-in staff who may see the article in the admin, and
``/preview/share/<token>/``, a signed link that expires, for a reviewer without an account.
Neither answer may ever be stored by the page cache or a proxy: they say ``private, no-store``
and never ``public`` (see canary/page_cache.py).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core.second_factor import second_factor_done

from ..models import Article
from .pages import ArticleView

SHARE_SALT = "canary.articles.preview-share"
SHARE_MAX_AGE = timedelta(days=3)
NO_STORE = "private, no-store"


def share_token(article):
    return signing.dumps({"article": article.pk}, salt=SHARE_SALT, compress=True)


def share_url(article):
    """The absolute address of a share link for this article, valid for SHARE_MAX_AGE."""
    return settings.SITE_URL + reverse("articles:preview-share", args=[share_token(article)])


def share_expires(now=None):
    return (now or timezone.now()) + SHARE_MAX_AGE


class PreviewView(ArticleView):
    """The reader's article page for an article readers cannot see yet, with a banner on top."""

    template_name = "articles/preview.html"
    shared = False

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # After ArticleView's public cache_control: a preview is for this person only.
        response["Cache-Control"] = NO_STORE
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_object(self, queryset=None):
        return self.kwargs["article"]

    def get(self, request, *args, **kwargs):
        self.object = article = self.get_object()
        if article.published_at is None:
            # Shown as if it went out now, so the byline reads as it will.
            article.published_at = timezone.now()
            self.unscheduled = True
        return self.render_to_response(self.get_context_data(object=article))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            preview=True,
            shared=self.shared,
            unscheduled=getattr(self, "unscheduled", False),
            share_expires_in_days=SHARE_MAX_AGE.days,
            **kwargs,
        )


def _article(queryset, pk):
    return get_object_or_404(queryset.select_related("section", "featured_image"), pk=pk)


def preview(request, article_id):
    """Staff only: anonymous visitors go to the admin login, as do staff whose session has not
    given the second factor the admin asks of them; others without access get a 403."""
    if not (request.user.is_authenticated and second_factor_done(request.user)):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("articles.view_article")):
        raise PermissionDenied
    # A contributor previews what they may open in the admin, their own articles.
    article = _article(Article.objects.worked_on_by(user), article_id)
    return PreviewView.as_view()(request, article=article)


def shared_preview(request, token):
    try:
        data = signing.loads(token, salt=SHARE_SALT, max_age=SHARE_MAX_AGE)
    except signing.SignatureExpired:
        return _link_problem(
            request,
            410,
            "This preview link has expired",
            f"Preview links work for {SHARE_MAX_AGE.days} days. Ask the newsroom for a new one.",
        )
    except signing.BadSignature:
        return _link_problem(
            request,
            404,
            "This preview link is not valid",
            "Check that you copied the whole link, or ask the newsroom for a new one.",
        )
    article = (
        Article.objects.filter(pk=data.get("article")).select_related("section", "featured_image").first()
    )
    if article is None:
        raise Http404("No such article")
    if article.withdrawn_at is not None:
        return _link_problem(
            request, 410, "This article has been withdrawn", "It can no longer be previewed."
        )
    if article.is_published:
        # Out already: the reviewer reads the real thing.
        return redirect(article.get_absolute_url())
    view = PreviewView.as_view(shared=True)
    return view(request, article=article)


def _link_problem(request, status, title, detail):
    response = render(
        request, "articles/preview_link_problem.html", {"title": title, "detail": detail}, status=status
    )
    response["Cache-Control"] = NO_STORE
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
