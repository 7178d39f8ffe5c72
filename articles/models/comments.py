from datetime import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from ..exceptions import IllegalTransition, ModerationChanged, NotPermitted, SpamCannotBePinned

ANONYMOUS_NAME = "A former reader"
MODERATE = "articles.change_comment"


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=Comment.Status.APPROVED)

    def for_article_page(self, article):
        """Approved comments, editor's picks first, then oldest first."""
        return self.visible().filter(article=article).order_by("-pinned", "created_at", "id")

    def by_person(self, email, user=None):
        """A person's comments: written with their address, or while signed in as them."""
        mine = Q(email__iexact=email.strip())
        if user is not None:
            mine |= Q(user=user)
        return self.filter(mine)

    def anonymise(self):
        """Keep the words in their thread, drop who wrote them (a supporter's erasure).

        Each row gets its own invalid address, so the comments no longer group as one person's.
        """
        count = 0
        for comment in self.select_for_update():
            comment.name = ANONYMOUS_NAME
            comment.email = f"erased-{comment.pk}@invalid"
            comment.user = None
            comment.ip_hash = ""
            comment.save(update_fields=["name", "email", "user", "ip_hash"])
            count += 1
        return count


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="comment_set")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The comment this one answers. Replies are one level deep.",
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(max_length=254, help_text="Never shown publicly.")
    body = models.TextField(max_length=5000)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    pinned = models.BooleanField(
        "editor's pick", default=False, help_text="Shown first, marked as an editor's pick."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_hash = models.CharField(
        max_length=64, blank=True, help_text="A keyed hash of the address, kept 30 days for abuse control."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    # The comment id in a WordPress export (see articles.wordpress).
    wordpress_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_article_idx")]

    def __str__(self):
        return f"{self.name} on {self.article_id}: {self.body[:40]}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def changes_reader_pages(self):
        """Pending and spam comments are invisible: only approved ones touch cached pages."""
        approved = Comment.Status.APPROVED
        return self.status == approved or getattr(self, "_loaded_status", None) == approved

    # --- Moderation: each move checks the person and the state, under a row lock ---------------

    def approve(self, *, by):
        self._moderate(Comment.Status.APPROVED, by)

    def reject(self, *, by):
        """Removed from the thread (its words stay in the admin for the record)."""
        self._moderate(Comment.Status.REMOVED, by)

    def mark_spam(self, *, by):
        """Spam leaves the thread and its editor's pick with it."""
        self._moderate(Comment.Status.SPAM, by)

    def pin(self, *, by):
        """An editor's pick, shown first once approved; spam and removed comments cannot be one."""
        with transaction.atomic():
            self._lock(by)
            if self.status in OUT_OF_THE_THREAD:
                refusal = SpamCannotBePinned if self.status == Comment.Status.SPAM else IllegalTransition
                raise refusal(
                    f"A comment marked {self.get_status_display().lower()} cannot be an editor's pick."
                )
            self.pinned = True
            self.save(update_fields=["pinned"])

    def unpin(self, *, by):
        with transaction.atomic():
            self._lock(by)
            if not self.pinned:
                raise IllegalTransition("This comment is not an editor's pick.")
            self.pinned = False
            self.save(update_fields=["pinned"])

    def moderation_state(self):
        """What a one-click move changes, as plain data (kept in the session for its undo)."""
        moderated_at = self.moderated_at.isoformat() if self.moderated_at else None
        return {"status": self.status, "pinned": self.pinned, "moderated_at": moderated_at}

    def undo_moderation(self, before, *, after, by):
        """Put the comment back as it was `before` a moderation that left it `after` (both from
        moderation_state). Refused with ModerationChanged if it has changed since: the moderator
        undoes their own move, never someone else's later one. The one way back to the queue."""
        with transaction.atomic():
            if by is None or not by.has_perm(MODERATE):
                raise NotPermitted(f"This needs the permission {MODERATE}.")
            stored = Comment.objects.select_for_update().filter(pk=self.pk).first()
            if stored is None or stored.moderation_state() != after:
                raise ModerationChanged(
                    "This comment has changed since (another moderator, or another tab), so it is "
                    "left as it is now."
                )
            if before["status"] not in Comment.Status.values:
                raise IllegalTransition("That is not a state a comment can be in.")
            self.status = before["status"]
            # A pick comes back only with a comment readers see again.
            self.pinned = bool(before["pinned"]) and self.status not in OUT_OF_THE_THREAD
            moderated_at = before["moderated_at"]
            self.moderated_at = datetime.fromisoformat(moderated_at) if moderated_at else None
            self.save(update_fields=["status", "pinned", "moderated_at"])

    def moves_to(self, status, pinned):
        """The moves that bring this comment to the status and pick a form asks for, in order, as
        method names; raises the refusal a move would raise, before anything is written."""
        moves = []
        if status != self.status:
            if status == Comment.Status.PENDING:
                raise IllegalTransition("A moderated comment does not go back to the queue.")
            moves.append(
                {Comment.Status.APPROVED: "approve", Comment.Status.REMOVED: "reject"}.get(
                    status, "mark_spam"
                )
            )
        leaving = status in OUT_OF_THE_THREAD
        # A pick that was already there goes with the comment when it leaves the thread; a new
        # pick for a comment out of the thread is refused.
        if pinned and leaving and not self.pinned:
            raise (SpamCannotBePinned if status == Comment.Status.SPAM else IllegalTransition)(
                f"A comment marked {Comment.Status(status).label.lower()} cannot be an editor's pick."
            )
        if pinned and not self.pinned:
            moves.append("pin")
        elif self.pinned and not pinned and not leaving:
            # Leaving the thread unpins by itself (_moderate).
            moves.append("unpin")
        return moves

    def move_to(self, moves, *, by):
        for name in moves:
            getattr(self, name)(by=by)

    def _moderate(self, status, by):
        with transaction.atomic():
            self._lock(by)
            if self.status == status:
                raise IllegalTransition(f"This comment is already {self.get_status_display().lower()}.")
            self.status = status
            self.moderated_at = timezone.now()
            # Spam or removed, a comment leaves the thread and stops being an editor's pick.
            self.pinned = self.pinned and status not in OUT_OF_THE_THREAD
            self.save(update_fields=["status", "moderated_at", "pinned"])

    def _lock(self, by):
        if by is None or not by.has_perm(MODERATE):
            raise NotPermitted(f"This needs the permission {MODERATE}.")
        current = Comment.objects.select_for_update().filter(pk=self.pk).values("status", "pinned").get()
        self.status, self.pinned = current["status"], current["pinned"]


OUT_OF_THE_THREAD = (Comment.Status.SPAM, Comment.Status.REMOVED)


class BlockedCommenter(models.Model):
    """An address that may not comment any more."""

    email = models.EmailField(max_length=254, unique=True)
    reason = models.CharField(max_length=200, blank=True)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "blocked commenter"

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def clean(self):
        # Before the unique check runs, so "Troll@Example.com" finds "troll@example.com".
        self.email = self.email.strip().lower()

    @classmethod
    def block(cls, email, *, by, reason=""):
        """Block an address (once: blocking it again changes nothing); True if it is new."""
        _, new = cls.objects.get_or_create(
            email=email.strip().lower(), defaults={"blocked_by": by, "reason": reason[:200]}
        )
        return new

    @classmethod
    def is_blocked(cls, email):
        return cls.objects.filter(email=email.strip().lower()).exists()


def by_email(email):
    return Q(email__iexact=email.strip())
