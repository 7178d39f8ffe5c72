"""The newsroom's emails: what each template needs, gathered when the email is sent."""

from django.conf import settings
from django.urls import reverse

from mailroom.kinds import email_kind

from .commenting import confirmation_token
from .models import Comment


@email_kind("articles/comment_confirmation")
def comment_confirmation(params, to):
    """A link confirming the address, made now: the outbox never stores a live token.

    The commenter's typed name is not repeated: anyone can type any address into the form, and
    a stranger's words must not reach someone else's inbox under our name.
    """
    comment = Comment.objects.select_related("article").filter(pk=params.get("comment")).first()
    if comment is None or comment.email.lower() != to.lower():
        return None
    token = confirmation_token(comment.email)
    return {
        "headline": comment.article.headline,
        "link": settings.SITE_URL + reverse("articles:comment-confirm", args=[token]),
    }
