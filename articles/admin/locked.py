"""A story the person may read but not change (a contributor's story once it is in review or
out): its body shown as readers will see it, not as raw HTML, under a line saying why it is
locked and what can happen next."""

from django.contrib import admin
from django.utils.safestring import mark_safe

from ..models import Article

WHY_LOCKED = {
    Article.Status.REVIEW: "Locked while an editor reviews it: only an editor can change it now, "
    "publish it, or send it back to you as a draft to work on again.",
    Article.Status.PUBLISHED: "Locked because it is published: only an editor can change it now.",
}
LOCKED_OTHERWISE = "Locked: only an editor can change this story."


def why_locked(article):
    if article.withdrawn_at is not None:
        return "Locked because it is withdrawn: only an editor can change it or lift the withdrawal."
    return WHY_LOCKED.get(article.status, LOCKED_OTHERWISE)


class LockedBodyMixin:
    @admin.display(description="Body")
    def body_as_readers_see_it(self, article):
        # Article.save() runs every body through the sanitizer (articles/sanitize.py), whatever
        # wrote it, so the stored HTML is what reader pages print as it is too.
        return mark_safe(f'<div class="locked-body">{article.body}</div>')  # noqa: S308 - sanitized on save

    def body_fieldset(self, obj, editable):
        if obj is None or editable:
            return ("Body", {"fields": ["body"]})
        return ("Body", {"fields": ["body_as_readers_see_it"], "description": why_locked(obj)})
