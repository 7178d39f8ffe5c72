"""The appeal in the copy for readers who are not members: one call to action for the issue.

It is chosen as a page chooses one, from the live calls to action placed in newsletter emails,
by their audience, dates, targeting (any section or tag of the issue's stories) and weight.
The weighted pick is seeded by the issue, so every worker rendering the copy picks the same
one, and the copy is still rendered once. Members' copies carry none.

Its link goes through the appeals' click redirect with the issue's id: every copy carries the
same link, so a click says which issue it came from and nothing about who clicked. The appeals
report names the issue through what we register with supporters.places.
"""

from django.conf import settings
from django.urls import reverse

from articles.models import Article, ArticleTag
from supporters import appeals, places
from supporters.models import CallToAction

from .models import Issue


def for_issue(issue, stories):
    """The call to action for the non-members' copy of this issue, or None."""
    article_ids = [story.article_id for story in stories if story.article_id]
    section_ids = set(Article.objects.filter(pk__in=article_ids).values_list("section_id", flat=True))
    tag_ids = set(
        ArticleTag.objects.filter(content_object_id__in=article_ids).values_list("tag_id", flat=True)
    )
    calls = appeals.calls_for(
        CallToAction.Placement.EMAIL, member=False, section_ids=section_ids, tag_ids=tag_ids
    )
    call = appeals.pick_by_weight(calls, seed=f"issue:{issue.pk}:{issue.started_at}")
    if call is None:
        return None
    go = reverse("supporters:go-call", args=[call["id"]])
    return {
        "headline": call["headline"],
        "text": call["text"],
        "button_label": call["button_label"],
        "url": f"{settings.SITE_URL}{go}?n={issue.pk}",
    }


GONE_OUT = (Issue.Status.SENDING, Issue.Status.PAUSED, Issue.Status.SENT)


def known_issue(pk):
    """Only an issue that went out can be credited: a made-up id adds nothing to the report."""
    return Issue.objects.filter(pk=pk, status__in=GONE_OUT).exists()


def issue_names(ids):
    issues = Issue.objects.filter(pk__in=ids).select_related("newsletter").only("subject", "newsletter__name")
    return {issue.pk: f"Newsletter: {issue.newsletter.name} — {issue.subject}" for issue in issues}


def register():
    places.register_issues(known=known_issue, names=issue_names)
