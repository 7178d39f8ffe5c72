"""One-click moderation on the comment list: Approve, Spam and Remove as buttons on each row.

Each button posts the changelist's own form (its CSRF token included) to a URL of its own, so it
works without JavaScript; the move is the model's (`Comment.approve`, `mark_spam`, `reject`),
which checks the person's permission and the comment's state under a row lock. The answer is
the same filtered list page, with a message saying what happened or why nothing did.
"""

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from core.relative_time import when_column

from ..exceptions import IllegalTransition, NotPermitted
from ..models import Comment

# The button's word, the model's move, and what the message says once it is done.
MOVES = {
    "approve": ("Approve", Comment.approve, "Comment approved."),
    "spam": ("Spam", Comment.mark_spam, "Comment marked as spam."),
    "remove": ("Remove", Comment.reject, "Comment removed."),
}
# A move's button is not offered where it would change nothing.
MOVE_ENDS_IN = {
    "approve": Comment.Status.APPROVED,
    "spam": Comment.Status.SPAM,
    "remove": Comment.Status.REMOVED,
}
NOT_YOURS = "Only moderators and editors can moderate comments."
EXCERPT = 280  # characters of a comment shown in the list; the whole of it is one click away


class OneClickModeration:
    """A mixin for CommentAdmin: the list's readable columns and the per-row moderation buttons."""

    received = when_column("created_at", "Received")

    @admin.display(description="Comment")
    def comment_text(self, comment):
        body = comment.body if len(comment.body) <= EXCERPT else comment.body[:EXCERPT].rstrip() + "…"
        return format_html(
            '<span class="comment-words">{}</span><span class="quiet-line">on {}</span>',
            body,
            comment.article.headline,
        )

    @admin.display(description="From", ordering="name")
    def writer(self, comment):
        return format_html('{}<span class="quiet-line">{}</span>', comment.name, comment.email)

    def get_list_display(self, request):
        """The buttons column only for those who may moderate (bound to this request's list)."""
        columns = list(super().get_list_display(request))
        if not self.has_change_permission(request):
            return columns
        back = self.get_preserved_filters(request)

        @admin.display(description="Moderate")
        def moderate(comment):
            return self.moderation_buttons(comment, back)

        return [*columns, moderate]

    def moderation_buttons(self, comment, preserved_filters):
        buttons = (
            (
                add_preserved_filters(
                    {"preserved_filters": preserved_filters, "opts": self.opts},
                    reverse("admin:articles_comment_moderate", args=[comment.pk, move]),
                ),
                move,
                label,
                f"{label} the comment from {comment.name}",
            )
            for move, (label, _, _) in MOVES.items()
            if comment.status != MOVE_ENDS_IN[move]
        )
        return format_html(
            '<span class="moderate-buttons">{}</span>',
            format_html_join(
                "",
                '<button type="submit" formaction="{}" formmethod="post" class="button moderate-{}"'
                ' aria-label="{}">{}</button>',
                ((url, move, aria, label) for url, move, label, aria in buttons),
            ),
        )

    def get_urls(self):
        moderate = self.admin_site.admin_view(require_POST(self.moderate_view))
        return [
            path("<int:pk>/moderate/<slug:move>/", moderate, name="articles_comment_moderate"),
            *super().get_urls(),
        ]

    def moderate_view(self, request, pk, move):
        if move not in MOVES:
            raise Http404("No such move.")
        if not self.has_change_permission(request):
            raise PermissionDenied(NOT_YOURS)
        _, make_move, done = MOVES[move]
        comment = Comment.objects.filter(pk=pk).select_related("article").first()
        if comment is None:
            self.message_user(request, "That comment no longer exists.", messages.WARNING)
            return self.back_to_the_list(request)
        try:
            make_move(comment, by=request.user)
        except NotPermitted as refusal:
            raise PermissionDenied(NOT_YOURS) from refusal
        except IllegalTransition as refusal:
            # A second click, or another moderator got there first: say so, change nothing.
            self.message_user(request, f"Nothing changed: {refusal}", messages.WARNING)
            return self.back_to_the_list(request)
        self.log_change(request, comment, done)
        self.message_user(request, done, messages.SUCCESS)
        return self.back_to_the_list(request)

    def back_to_the_list(self, request):
        """The list as it was: its filters come back through the admin's own preserved filters,
        always onto the comment list's address, so the redirect cannot be pointed elsewhere."""
        url = add_preserved_filters(
            {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts},
            reverse("admin:articles_comment_changelist"),
        )
        return HttpResponseRedirect(url)
