from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from core.second_factor import has_authenticator, required_for

from ..models import Comment, CorrectionRequest

register = template.Library()


@register.filter
def needs_second_factor(user):
    """The two-factor page is offered to those who must use it or already do, not to everyone."""
    return required_for(user) or has_authenticator(user)


@register.simple_tag(takes_context=True)
def pending_comments_link(context):
    """ "N comments to moderate", on every admin page of someone who moderates (none: nothing)."""
    request = context.get("request")
    if request is None or not request.user.has_perm("articles.change_comment"):
        return ""
    count = Comment.objects.filter(status=Comment.Status.PENDING).count()
    if not count:
        return ""
    url = reverse("admin:articles_comment_changelist") + "?status__exact=pending"
    return format_html(
        '<div class="pending-comments"><a href="{}">{} comment{} to moderate</a></div>',
        url,
        count,
        "" if count == 1 else "s",
    )


def greeting(user, now):
    """ "Good morning, Demo Editor (Editor)": the person by name, with the roles they act in."""
    hour = timezone.localtime(now).hour
    part = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
    name = user.get_full_name() or user.get_username()
    roles = ", ".join(group.name for group in user.groups.all()) or (
        "Administrator" if user.is_superuser else ""
    )
    return f"Good {part}, {name}" + (f" ({roles})" if roles else "")


@register.inclusion_tag("admin/includes/newsroom_dashboard.html", takes_context=True)
def newsroom_dashboard(context, limit=6):
    """Each person's desk: what their role has to do today, newest work first."""
    from ..models import Article, Author

    user = context["request"].user
    now = timezone.now()
    desk = {"show": True, "greeting": greeting(user, now)}
    can_see_articles = user.has_perm("articles.view_article")
    can_moderate = user.has_perm("articles.change_comment")
    if not can_see_articles and not can_moderate:
        return desk
    # A contributor's desk lists their own work only: the rest would be a 403 a click away.
    articles = (
        Article.objects.worked_on_by(user)
        .select_related("section")
        .only("headline", "status", "published_at", "section__name")
    )
    publishes = user.has_perm("articles.publish_article")
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    desk.update(
        can_see_articles=can_see_articles,
        publishes=publishes,
        can_moderate=can_moderate,
        scheduled=list(articles.scheduled(now).order_by("published_at")[:limit]),
        in_review=list(articles.filter(status=Article.Status.REVIEW).order_by("-updated_at")[:limit]),
        published_today=list(
            articles.published(now).filter(published_at__gte=start_of_day).order_by("-published_at")[:limit]
        ),
        recent=list(articles.published(now).order_by("-published_at")[:limit]),
    )
    # A writer's own byline page: its words and picture are theirs to keep current.
    desk["own_author"] = Author.objects.filter(user=user).only("slug").first() if can_see_articles else None
    if can_see_articles and not publishes:
        desk["drafts"] = list(articles.filter(status=Article.Status.DRAFT).order_by("-updated_at")[:limit])
        # The site's latest stories, to read on the site (the admin opens only their own).
        desk["site_latest"] = list(
            Article.objects.published(now)
            .only("headline", "slug", "published_at")
            .order_by("-published_at")[:limit]
        )
    if user.has_perm("articles.view_correctionrequest"):
        reports = CorrectionRequest.objects.waiting()
        desk["reports_waiting"] = reports.count()
        desk["reports"] = list(
            reports.select_related("article").only("text", "received_at", "article__headline")[:limit]
        )
    if can_moderate:
        pending = Comment.objects.filter(status=Comment.Status.PENDING)
        desk["pending_comments"] = pending.count()
        desk["queue"] = list(
            pending.select_related("article")
            .only("name", "body", "created_at", "article__headline")
            .order_by("created_at")[:limit]
        )
    return desk


@register.simple_tag(takes_context=True)
def plain_title(context):
    """The page's title in the newsroom's words: "Articles", not "Select article to change"."""
    title, opts = context.get("title") or "", context.get("opts")
    if opts is None or context.get("is_popup"):
        return title
    if context.get("cl") is not None:
        return capfirst(opts.verbose_name_plural)
    # Django's "Change article": an edit, said plainly.
    if title == f"Change {opts.verbose_name}":
        return f"Edit {opts.verbose_name}"
    return title
