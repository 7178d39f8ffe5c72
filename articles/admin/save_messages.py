"""After saving the article form, a message that says what happened ("Published", "Scheduled
for Friday 4 December, 07:00", "Sent for review"...), read from the moves the form made
(`form.moves`, see ArticleAdminForm), instead of Django's "The article … was changed successfully"."""

from django.contrib import messages
from django.utils import timezone

# What each move did, as the newsroom says it.
SAID = {
    "publish": "Published",
    "unpublish": "Unpublished",
    "submit_for_review": "Sent for review",
    "return_to_draft": "Back to draft",
}


def when(moment, now):
    """London's clock: "Friday 4 December, 07:00", with the year when it is not this one."""
    local, today = timezone.localtime(moment), timezone.localtime(now)
    day = f"{local:%A %-d %B}" if local.year == today.year else f"{local:%A %-d %B %Y}"
    return f"{day}, {local:%H:%M}"


def what_happened(moves, *, added, now):
    """The moves (method name, arguments) in words, "Unpublished and sent for review" for two;
    a save that moved nothing says "Saved" (a new story: "Saved as a draft")."""
    said = [
        f"Scheduled for {when(arguments['at'], now)}" if name == "schedule" else SAID[name]
        for name, arguments in moves
    ]
    if not said:
        return "Saved as a draft" if added else "Saved"
    return " and ".join([said[0], *(part[0].lower() + part[1:] for part in said[1:])])


class SaveMessageMixin:
    """For ArticleAdmin: remembers the moves of this save on the request, and puts the words for
    them in place of the admin's own success message."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        request.article_moves = list(getattr(form, "moves", []))

    def response_add(self, request, obj, post_url_continue=None):
        self._plan_message(request, obj, added=True)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._plan_message(request, obj, added=False)
        return super().response_change(request, obj)

    def _plan_message(self, request, obj, *, added):
        moves = getattr(request, "article_moves", None)
        if moves is not None:
            words = what_happened(moves, added=added, now=timezone.now())
            request.article_saved_message = f"{words}: “{obj.headline}”."

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        said = getattr(request, "article_saved_message", None)
        if said is not None and level == messages.SUCCESS:
            request.article_saved_message = None  # once: any later message is its own
            message = said
        return super().message_user(request, message, level, *args, **kwargs)
