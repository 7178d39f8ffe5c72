from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html

from core.counted import counted

from ..exceptions import IllegalTransition
from ..models import BlockedCommenter, Comment
from .moderation import OneClickModeration
from .refusals import RefusedMoveMixin


class CommentAdminForm(forms.ModelForm):
    """Status and editor's pick become the comment's own moves (approve, reject, mark_spam, pin,
    unpin), made on save; one the comment refuses is a form error."""

    class Meta:
        model = Comment
        fields = ["status", "pinned"]

    def clean(self):
        cleaned = super().clean()
        try:
            self.moves = self.instance.moves_to(
                cleaned.get("status", self.instance.status), cleaned.get("pinned", self.instance.pinned)
            )
        except IllegalTransition as refusal:
            raise ValidationError(str(refusal), code="illegal_move") from None
        return cleaned


@admin.register(Comment)
class CommentAdmin(OneClickModeration, RefusedMoveMixin, admin.ModelAdmin):
    form = CommentAdminForm
    # The words with their article, who wrote them, and when; the row's buttons come from the mixin.
    list_display = ["comment_text", "writer", "status", "received", "on_site"]
    list_filter = ["status", "pinned", "created_at", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["body", "name", "email"]
    list_select_related = ["article"]
    date_hierarchy = "created_at"
    readonly_fields = ["article", "parent", "name", "email", "body", "user", "created_at", "moderated_at"]
    fields = [*readonly_fields[:5], "status", "pinned", "user", "created_at", "moderated_at"]
    actions = ["approve", "mark_spam", "remove", "pin", "unpin", "block_commenters", "block_and_remove"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # Nothing else on the form is editable: the moves write the status and the pick, each
        # checking the moderator's permission and the comment's state under a row lock.
        obj.move_to(form.moves, by=request.user)

    @admin.display(description="On the site")
    def on_site(self, comment):
        if comment.status != Comment.Status.APPROVED or not comment.article.is_published:
            return "—"
        return format_html('<a href="{}">View</a>', comment.get_absolute_url())

    def _each(self, request, queryset, move):
        """Make one model move on each selected comment that allows it; the count of those that did."""
        count = 0
        with transaction.atomic():
            for comment in queryset.select_for_update():
                try:
                    move(comment)
                except IllegalTransition:
                    continue
                count += 1
        return count

    def _moderate(self, request, queryset, move, verb):
        count = self._each(request, queryset, lambda comment: move(comment, by=request.user))
        self._say(request, count, verb)

    def _say(self, request, count, verb):
        message = counted(
            count,
            f"Comment {verb}.",
            f"{{count}} comments {verb}.",
            f"Nothing changed: the comments you chose were already {verb}.",
        )
        self.message_user(request, message, messages.SUCCESS if count else messages.WARNING)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.approve, "approved")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.mark_spam, "marked as spam")

    @admin.action(description="Remove selected comments", permissions=["change"])
    def remove(self, request, queryset):
        self._moderate(request, queryset, Comment.reject, "removed")

    @admin.action(description="Pin as editor's pick", permissions=["change"])
    def pin(self, request, queryset):
        count = self._each(request, queryset, lambda comment: comment.pin(by=request.user))
        self._say(request, count, "pinned as editor's picks" if count > 1 else "pinned as editor's pick")

    @admin.action(description="Unpin", permissions=["change"])
    def unpin(self, request, queryset):
        count = self._each(request, queryset, lambda comment: comment.unpin(by=request.user))
        self._say(request, count, "unpinned")

    def _block(self, request, queryset, hide):
        emails = sorted({c.email.lower() for c in queryset})
        with transaction.atomic():
            for email in emails:
                BlockedCommenter.block(email, by=request.user)
                if hide:
                    for comment in Comment.objects.filter(email__iexact=email).exclude(
                        status=Comment.Status.REMOVED
                    ):
                        comment.reject(by=request.user)
        message = counted(
            len(emails),
            f"Blocked {emails[0] if emails else ''}.",
            "Blocked {count} commenters.",
            "No one blocked.",
        )
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description="Block these commenters", permissions=["block"])
    def block_commenters(self, request, queryset):
        self._block(request, queryset, hide=False)

    @admin.action(description="Block these commenters and remove all their comments", permissions=["block"])
    def block_and_remove(self, request, queryset):
        self._block(request, queryset, hide=True)

    def has_block_permission(self, request):
        return request.user.has_perm("articles.add_blockedcommenter")


@admin.register(BlockedCommenter)
class BlockedCommenterAdmin(admin.ModelAdmin):
    list_display = ["email", "reason", "blocked_by", "created_at"]
    list_select_related = ["blocked_by"]
    search_fields = ["email", "reason"]
    readonly_fields = ["blocked_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.blocked_by = request.user
        super().save_model(request, obj, form, change)
