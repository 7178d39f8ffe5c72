from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..models import Comment

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_comments_link(context):
    """ "N comments to moderate", on every admin page of someone who moderates."""
    request = context.get("request")
    if request is None or not request.user.has_perm("articles.change_comment"):
        return ""
    count = Comment.objects.filter(status=Comment.Status.PENDING).count()
    url = reverse("admin:articles_comment_changelist") + "?status__exact=pending"
    return format_html(
        '<div class="pending-comments"><a href="{}">{} comment{} to moderate</a></div>',
        url,
        count,
        "" if count == 1 else "s",
    )


@register.inclusion_tag("admin/includes/newsroom_dashboard.html", takes_context=True)
def newsroom_dashboard(context, limit=6):
    """What is happening in the newsroom: next up, waiting for review, just out, to moderate."""
    from django.utils import timezone

    from ..models import Article

    user = context["request"].user
    if not user.has_perm("articles.view_article") and not user.has_perm("articles.change_comment"):
        return {"show": False}
    now = timezone.now()
    # A contributor's dashboard lists their own work only: the rest would be a 403 a click away.
    articles = (
        Article.objects.worked_on_by(user)
        .select_related("section")
        .only("headline", "status", "published_at", "section__name")
    )
    return {
        "show": True,
        "can_see_articles": user.has_perm("articles.view_article"),
        "scheduled": list(articles.scheduled(now).order_by("published_at")[:limit]),
        "in_review": list(articles.filter(status=Article.Status.REVIEW).order_by("-updated_at")[:limit]),
        "recent": list(articles.published(now).order_by("-published_at")[:limit]),
        "pending_comments": Comment.objects.filter(status=Comment.Status.PENDING).count(),
        "can_moderate": user.has_perm("articles.change_comment"),
    }
