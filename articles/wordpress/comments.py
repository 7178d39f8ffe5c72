"""WordPress comments onto Canary's comments, whose threads are one level deep."""

import html
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.html import strip_tags

from ..models import Comment
from .values import wordpress_date

COMMENT_STATUSES = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING}


def comment_text(value):
    """A comment's HTML as plain text, keeping its line breaks and paragraphs."""
    value = re.sub(r"<br\s*/?>", "\n", value or "", flags=re.I)
    value = re.sub(r"</p\s*>", "\n\n", value, flags=re.I)
    value = html.unescape(strip_tags(value.replace("\r\n", "\n")))
    value = "\n".join(line.rstrip() for line in value.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", value).strip()[:5000]


class CommentsMixin:
    """The Importer's comments: counted through its per-post bookkeeping."""

    def import_comments(self, item, article):
        kept = {}
        for comment in item.comments:
            status = COMMENT_STATUSES.get(comment.approved)
            # Pingbacks and trackbacks are not readers' words; spam and trash stay behind.
            if status is None or comment.type not in ("", "comment"):
                self._count("comments", "skipped")
                continue
            kept[comment.id] = (comment, status)
        parent_of = {comment.id: comment.parent for comment in item.comments}

        def thread_top(comment):
            # Canary's threads are one level deep: a reply hangs under the highest kept comment
            # above it, and becomes a comment of its own if none of those was kept.
            top, seen, current = None, set(), comment.parent
            while current and current not in seen:
                seen.add(current)
                if current in kept:
                    top = current
                current = parent_of.get(current, 0)
            return top

        tops = {comment_id: thread_top(comment) for comment_id, (comment, _) in kept.items()}
        saved = {}
        for comment_id in sorted(kept, key=lambda comment_id: tops[comment_id] is not None):
            wp_comment, status = kept[comment_id]
            comment = Comment.objects.filter(wordpress_id=comment_id).first()
            created = comment is None
            if created:
                comment = Comment(wordpress_id=comment_id, status=status)
            elif comment.moderated_at is None:
                comment.status = status  # a moderator's decision in Canary since is kept
            comment.article = article
            comment.parent = saved.get(tops[comment_id])
            comment.name = " ".join(wp_comment.author.split())[:80] or "Anonymous"
            comment.email = self._email(wp_comment.email)
            comment.body = comment_text(wp_comment.content)
            comment.created_at = (
                wordpress_date(wp_comment.date_gmt, wp_comment.date, "comment_date")
                or article.published_at
                or timezone.now()
            )
            comment.save()
            saved[comment_id] = comment
            self._count("comments", "created" if created else "updated")

    @staticmethod
    def _email(value):
        value = (value or "").strip()[:254]
        try:
            validate_email(value)
        except ValidationError:
            return ""
        return value
