"""The rules for taking a reader's comment: who is trusted, and what is refused."""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from core import ratelimit
from core.second_factor import second_factor_done
from mailroom.models import Email
from mailroom.services import queue_email

from .comment_forms import RENDER_SALT, browser_hash
from .impersonation import imitates_staff
from .models import BlockedCommenter, Comment

CONFIRM_SALT = "canary.comments.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600
CONFIRMATION_EVERY_SECONDS = 24 * 3600
CONFIRMATION = "articles/comment_confirmation"
SESSION_KEY = "confirmed_commenter_email"
IP_RETENTION = timedelta(days=30)
# A supporter who gave no name comments as this until they add one on the account page.
ANONYMOUS_SUPPORTER = "A supporter"


class Refused(Exception):
    """A comment we will not store, with the reason shown to the reader and an HTTP status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Outcome:
    comment: Comment
    published: bool


def ip_hash(ip):
    """A keyed hash: enough to count one address's comments, useless to anyone without the key."""
    return salted_hmac("canary.comments.ip", ip, algorithm="sha256").hexdigest() if ip else ""


def check_timing(request, stamp):
    """The form was shown to this very browser, long enough ago but not too long ago."""
    try:
        shown_at, browser = signing.loads(stamp or "", salt=RENDER_SALT)
        shown_at = float(shown_at)
    except (signing.BadSignature, TypeError, ValueError):
        raise Refused("Please reload the page and post again: part of the form was missing.") from None
    secret = request.META.get("CSRF_COOKIE")
    if not secret or not constant_time_compare(str(browser), browser_hash(secret)):
        raise Refused("Please post your comment again: the form was not opened in this browser.")
    limit = settings.COMMENT_FORM_MAX_MINUTES
    if time.time() - shown_at > limit * 60:
        raise Refused(f"This form was opened more than {limit} minutes ago. Please post your comment again.")
    if time.time() - shown_at < settings.COMMENT_MIN_SECONDS:
        raise Refused("That was very quick. Please check your comment, then post it again.")


def check_rate(kind, value):
    """At most COMMENT_RATE_LIMIT comments a minute from one address or one email."""
    if not ratelimit.allow(f"comments:{kind}", value, settings.COMMENT_RATE_LIMIT):
        raise Refused(
            "You have posted several comments in the last minute. Please wait a minute.", status=429
        )


def account_commenter(request):
    """(name, email) of a signed-in supporter: they comment under their account's, nobody else's."""
    user = request.user
    supporter = getattr(user, "supporter", None) if user.is_authenticated else None
    if supporter is None or supporter.erased_at:
        return None
    return (supporter.name or ANONYMOUS_SUPPORTER)[
        : Comment._meta.get_field("name").max_length
    ], supporter.email


def is_trusted(request, email):
    """A signed-in supporter, a staff member with the second factor the admin asks of them, or a
    reader who confirmed this address in this browser and had a comment approved before."""
    user = request.user
    if user.is_authenticated and second_factor_done(user) and (user.is_staff or account_commenter(request)):
        return True
    confirmed = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return confirmed == email and Comment.objects.visible().filter(email__iexact=email).exists()


def post_comment(request, article, form, ip):
    """Store a reader's comment whole, or refuse it with a reason and store nothing."""
    data = form.cleaned_data
    if not article.comments_open:
        raise Refused("Comments are closed on this article.", status=403)
    if data.get("website"):
        raise Refused("Your comment could not be posted.", status=400)
    check_timing(request, data.get("rendered"))
    if BlockedCommenter.is_blocked(data["email"]):
        raise Refused("Comments from this address are not accepted.", status=403)
    hashed = ip_hash(ip)
    check_rate("ip", hashed)
    check_rate("email", data["email"])

    trusted = is_trusted(request, data["email"])
    # Many links, or a name that could pass for the newsroom's, wait for a moderator from anyone.
    publish = (
        trusted
        and form.link_count() <= settings.COMMENT_MAX_LINKS
        and not imitates_staff(data["name"], request.user)
    )
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=form.reply_target(article),
            name=data["name"],
            email=data["email"],
            body=data["body"],
            status=Comment.Status.APPROVED if publish else Comment.Status.PENDING,
            user=request.user if request.user.is_authenticated else None,
            ip_hash=hashed,
        )
        forget_old_addresses()
        if not trusted:
            send_confirmation(comment)
    return Outcome(comment=comment, published=publish)


def forget_old_addresses():
    """Addresses are kept 30 days; each new comment clears the expired ones, so no cron is needed."""
    cutoff = timezone.now() - IP_RETENTION
    Comment.objects.filter(created_at__lt=cutoff).exclude(ip_hash="").update(ip_hash="")


def confirmation_token(email):
    return signing.dumps(email, salt=CONFIRM_SALT, compress=True)


def confirmed_email(token):
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None


def send_confirmation(comment):
    """Email the commenter a link that confirms their address: once a day per address at most.

    Anyone can type any address into the form; without the limit, posting comments would make
    the site send a stranger one email per comment. The outbox itself remembers what it was
    asked to send, in the same transaction as the comment: no cache to be down, a comment that
    rolls back uses up nothing, and a stored comment always has its email.
    """
    since = timezone.now() - timedelta(seconds=CONFIRMATION_EVERY_SECONDS)
    # The form lowercases addresses, so an exact match reads the (to, template, created_at)
    # index: this runs on every post, and iexact would scan the outbox on PostgreSQL.
    if not Email.objects.filter(to=comment.email, template=CONFIRMATION, created_at__gte=since).exists():
        queue_email(comment.email, CONFIRMATION, {"comment": comment.pk})


def thread(comments):
    """An article's approved comments (article_page.comments) as top-level comments, each with
    its replies, and how many there are in all."""
    top = [c for c in comments if c.parent_id is None]
    by_id = {c.pk: c for c in top}
    for comment in top:
        comment.reply_list = []
    for comment in comments:
        if comment.parent_id in by_id:
            by_id[comment.parent_id].reply_list.append(comment)
    for comment in top:
        comment.reply_list.sort(key=lambda reply: (reply.created_at, reply.pk))
    return top, len(comments)


def export_commenter(email):
    """Everything we hold about a commenter, by their email, as plain data."""
    return [
        {
            "article": c.article.headline,
            "url": settings.SITE_URL + c.article.get_absolute_url(),
            "name": c.name,
            "email": c.email,
            "comment": c.body,
            "status": c.status,
            "posted_at": c.created_at.isoformat(),
        }
        for c in Comment.objects.filter(email__iexact=email.strip())
        .select_related("article")
        .order_by("created_at")
    ]


def erase_commenter(email):
    """Erase a commenter's personal data; replies from others keep their place in the thread."""
    with transaction.atomic():
        comments = list(Comment.objects.select_for_update().filter(email__iexact=email.strip()))
        for comment in comments:
            comment.name = "Former reader"
            comment.email = f"erased-{comment.pk}@invalid"
            comment.body = "This comment was removed at its writer’s request."
            comment.ip_hash = ""
            comment.user = None
            comment.status = Comment.Status.REMOVED
            comment.save()
    return len(comments)
