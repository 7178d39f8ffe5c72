"""One-click moderation on the comment list: Approve, Spam, Remove and Block commenter as buttons
on each row, and Undo for the moderator's last click.

Each button posts the changelist's own form (its CSRF token included) to a URL of its own, so it
works without JavaScript; the move is the model's (`Comment.approve`, `mark_spam`, `reject`),
which checks the person's permission and the comment's state under a row lock. The answer is
the same filtered list page, with a message saying what happened or why nothing did. The state
before a click is kept in the moderator's session, never in the page, so an Undo cannot be
forged into some other state; `Comment.undo_moderation` refuses if the comment changed since.
static/js/moderation-keys.js adds the keyboard shortcuts.
"""

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from core.relative_time import when_column

from ..exceptions import IllegalTransition, ModerationChanged, NotPermitted
from ..models import BlockedCommenter, Comment

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
NOT_YOURS_TO_BLOCK = "Only moderators and editors can block commenters."
BUTTON = (
    '<button type="submit" formaction="{}" formmethod="post" class="button moderate-{}" aria-label="{}">'
    "{}</button>"
)
UNDO_KEY = "articles.moderation_undo"  # the session's record of the moderator's last click
EXCERPT = 280  # characters of a comment shown in the list; the whole of it is one click away


class OneClickModeration:
    """A mixin for CommentAdmin: the list's readable columns and the per-row moderation buttons."""

    received = when_column("created_at", "Received")

    class Media:
        js = ["js/moderation-keys.js"]

    def get_queryset(self, request):
        # Whether each row's writer is blocked already, in the list's own query (no query a row).
        blocked = BlockedCommenter.objects.filter(email=Lower(OuterRef("email")))
        return super().get_queryset(request).annotate(commenter_blocked=Exists(blocked))

    @admin.display(description="Comment")
    def comment_text(self, comment):
        body = comment.body if len(comment.body) <= EXCERPT else comment.body[:EXCERPT].rstrip() + "…"
        return format_html(
            '<span class="comment-words">{}</span><span class="quiet-line">on {}</span>',
            body,
            comment.article.headline,
        )

    @admin.display(description="From", ordering="name")
    def writer(self, comment, block=""):
        blocked = mark_safe('<span class="quiet-line">Blocked</span>') if comment.commenter_blocked else ""
        return format_html(
            '{}<span class="quiet-line">{}</span>{}{}', comment.name, comment.email, blocked, block
        )

    def get_list_display(self, request):
        """The buttons only for those who may use them (bound to this request's list): the moves
        in a column of their own, Block commenter under the writer's name and address."""
        columns = list(super().get_list_display(request))
        if not self.has_change_permission(request):
            return columns
        back = self.get_preserved_filters(request)
        if self.has_block_permission(request):

            @admin.display(description="From", ordering="name")
            def writer(comment):
                return self.writer(comment, self.block_button(comment, back))

            columns = [writer if column == "writer" else column for column in columns]

        @admin.display(description="Moderate")
        def moderate(comment):
            return self.moderation_buttons(comment, back)

        return [*columns, moderate]

    def _back(self, preserved_filters, name, *args):
        return add_preserved_filters(
            {"preserved_filters": preserved_filters, "opts": self.opts}, reverse(name, args=args)
        )

    def moderation_buttons(self, comment, preserved_filters):
        buttons = (
            (
                self._back(preserved_filters, "admin:articles_comment_moderate", comment.pk, move),
                move,
                f"{label} the comment from {comment.name}",
                label,
            )
            for move, (label, _, _) in MOVES.items()
            if comment.status != MOVE_ENDS_IN[move]
        )
        return format_html(
            '<span class="moderate-buttons">{}</span>',
            format_html_join("", BUTTON, buttons),
        )

    def block_button(self, comment, preserved_filters):
        if comment.commenter_blocked:
            return ""
        return format_html(
            '<span class="moderate-buttons">' + BUTTON + "</span>",
            self._back(preserved_filters, "admin:articles_comment_block", comment.pk),
            "block",
            f"Block {comment.name} ({comment.email}) from commenting",
            "Block commenter",
        )

    def get_urls(self):
        def posted(view):
            return self.admin_site.admin_view(require_POST(view))

        return [
            path(
                "<int:pk>/moderate/<slug:move>/", posted(self.moderate_view), name="articles_comment_moderate"
            ),
            path("<int:pk>/undo/", posted(self.undo_view), name="articles_comment_undo"),
            path("<int:pk>/block/", posted(self.block_view), name="articles_comment_block"),
            *super().get_urls(),
        ]

    def moderate_view(self, request, pk, move):
        if move not in MOVES:
            raise Http404("No such move.")
        if not self.has_change_permission(request):
            raise PermissionDenied(NOT_YOURS)
        _, make_move, done = MOVES[move]
        try:
            with transaction.atomic():
                # The state before, read under the move's own row lock: what an Undo brings back.
                comment = Comment.objects.select_for_update().filter(pk=pk).first()
                if comment is None:
                    self.message_user(request, "That comment no longer exists.", messages.WARNING)
                    return self.back_to_the_list(request)
                before = comment.moderation_state()
                make_move(comment, by=request.user)
        except NotPermitted as refusal:
            raise PermissionDenied(NOT_YOURS) from refusal
        except IllegalTransition as refusal:
            # A second click, or another moderator got there first: say so, change nothing.
            self.message_user(request, f"Nothing changed: {refusal}", messages.WARNING)
            return self.back_to_the_list(request)
        self.log_change(request, comment, done)
        request.session[UNDO_KEY] = {
            "comment": comment.pk,
            "before": before,
            "after": comment.moderation_state(),
            "done": done,
        }
        undo = add_preserved_filters(
            {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts},
            reverse("admin:articles_comment_undo", args=[comment.pk]),
        )
        # The button belongs to the list's form (form=), so it posts that form's CSRF token.
        message = format_html(
            '{} <button type="submit" form="changelist-form" formaction="{}" formmethod="post" '
            'class="button undo-moderation" aria-label="Undo: put the comment from {} back as it was">'
            "Undo</button>",
            done,
            undo,
            comment.name,
        )
        self.message_user(request, message, messages.SUCCESS)
        return self.back_to_the_list(request)

    def undo_view(self, request, pk):
        """Undo the moderator's own last click, if it was on this comment and nothing has
        changed since; the record is used up either way, so a replay changes nothing."""
        if not self.has_change_permission(request):
            raise PermissionDenied(NOT_YOURS)
        last = request.session.get(UNDO_KEY)
        if not last or last.get("comment") != pk:
            self.message_user(request, "Nothing to undo: that was not your last click.", messages.WARNING)
            return self.back_to_the_list(request)
        del request.session[UNDO_KEY]
        comment = Comment.objects.filter(pk=pk).first()
        if comment is None:
            self.message_user(request, "That comment no longer exists.", messages.WARNING)
            return self.back_to_the_list(request)
        try:
            comment.undo_moderation(last["before"], after=last["after"], by=request.user)
        except NotPermitted as refusal:
            raise PermissionDenied(NOT_YOURS) from refusal
        except ModerationChanged as refusal:
            self.message_user(request, f"Not undone: {refusal}", messages.WARNING)
            return self.back_to_the_list(request)
        state = comment.get_status_display().lower()
        self.log_change(request, comment, f"Undone: {last['done']} It is {state} again.")
        self.message_user(request, f"Undone: the comment is {state} again.", messages.SUCCESS)
        return self.back_to_the_list(request)

    def block_view(self, request, pk):
        """Block the row's address (BlockedCommenter.block); their comments stay as they are."""
        if not self.has_block_permission(request):
            raise PermissionDenied(NOT_YOURS_TO_BLOCK)
        comment = Comment.objects.filter(pk=pk).first()
        if comment is None:
            self.message_user(request, "That comment no longer exists.", messages.WARNING)
            return self.back_to_the_list(request)
        email = comment.email.strip().lower()
        if not BlockedCommenter.block(email, by=request.user, reason=f"From comment {comment.pk}"):
            self.message_user(request, f"Nothing changed: {email} is already blocked.", messages.WARNING)
            return self.back_to_the_list(request)
        self.log_change(request, comment, f"Blocked the commenter {email}.")
        self.message_user(
            request,
            f"Blocked {email}: new comments from this address are refused. Their comments so far "
            "stay as they are.",
            messages.SUCCESS,
        )
        return self.back_to_the_list(request)

    def back_to_the_list(self, request):
        """The list as it was: its filters come back through the admin's own preserved filters,
        always onto the comment list's address, so the redirect cannot be pointed elsewhere."""
        url = add_preserved_filters(
            {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts},
            reverse("admin:articles_comment_changelist"),
        )
        return HttpResponseRedirect(url)
