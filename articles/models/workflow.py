"""An article's life as model methods: every caller (the admin, a scheduled job, the importer,
a shell) goes through the same checks of state and permission, in one transaction, with the
move recorded in the article's history."""

from django.db import transaction
from django.utils import timezone

from .. import exceptions

PUBLISH = "articles.publish_article"
WITHDRAW = "articles.withdraw_article"
CHANGE = "articles.change_article"
# What a move reads and writes: loaded again under a row lock before any check. The version
# too: the move writes only these fields, read fresh, so it overwrites nobody's edit.
STATE_FIELDS = ("version", "status", "published_at", "withdrawn_at", "withdrawn_reason", "withdrawn_by_id")


def require(user, permission):
    if user is None or not user.has_perm(permission):
        raise exceptions.NotPermitted(f"This needs the permission {permission}.")


class SystemCaller:
    """A trusted process of ours that moves articles with no person behind it (the WordPress
    import). It passes the same permission checks as a person, holding only the permissions
    it is given here, in code; it is never signed in (is_authenticated is False, so no view
    can take it for a user), and the history names it in the note, with no person.
    """

    is_authenticated = False
    pk = None

    def __init__(self, name, permissions):
        self.name = name
        self.permissions = frozenset(permissions)

    def __str__(self):
        return self.name

    def has_perm(self, permission, obj=None):
        return permission in self.permissions


class ArticleWorkflow:
    """Mixed into Article (articles.models.article): publish, schedule, unpublish, withdraw,
    reinstate, submit for review, return to draft."""

    def publish(self, *, by, at=None):
        """Live now (or at ``at``, a date in the past such as an imported one). A scheduled
        time is brought forward; an earlier date (republishing) is kept."""
        require(by, PUBLISH)
        now = timezone.now()
        with transaction.atomic():
            self._lock_state()
            if self.withdrawn_at is not None:
                raise exceptions.ArticleWithdrawn("Lift the withdrawal before publishing.")
            if self.is_published_at(now):
                raise exceptions.AlreadyPublished("This article is already published.")
            if at is not None and at > now:
                raise exceptions.NotInTheFuture("Publishing is for now: schedule a future time.")
            self.status = self.Status.PUBLISHED
            if at is not None:
                self.published_at = at
            elif self.published_at is None or self.published_at > now:
                self.published_at = now
            self._record_move(by, ["status", "published_at"], "published")

    def schedule(self, at, *, by):
        """Published by itself at ``at``, a moment still to come."""
        require(by, PUBLISH)
        now = timezone.now()
        with transaction.atomic():
            self._lock_state()
            if self.withdrawn_at is not None:
                raise exceptions.ArticleWithdrawn("Lift the withdrawal before scheduling.")
            if at is None or at <= now:
                raise exceptions.NotInTheFuture("Choose a time still to come.")
            if self.is_published_at(now):
                # Scheduling a live story would take it away from readers until then.
                raise exceptions.AlreadyPublished("This article is already published.")
            self.status = self.Status.PUBLISHED
            self.published_at = at
            self._record_move(
                by, ["status", "published_at"], "published", f"scheduled for {at:%Y-%m-%d %H:%M}"
            )

    def unpublish(self, *, by):
        """Back to a draft (a published or scheduled story)."""
        require(by, PUBLISH)
        with transaction.atomic():
            self._lock_state()
            if self.status != self.Status.PUBLISHED:
                raise exceptions.NotPublished("This article is not published.")
            self.status = self.Status.DRAFT
            self._record_move(by, ["status"], "unpublished")

    def withdraw(self, reason, *, by):
        """Out of every list at once, its address answering 410 (a legal complaint, a court order)."""
        require(by, WITHDRAW)
        reason = (reason or "").strip()
        if not reason:
            raise exceptions.ReasonRequired("Give the reason for the newsroom's record.")
        with transaction.atomic():
            self._lock_state()
            if self.withdrawn_at is not None:
                raise exceptions.AlreadyWithdrawn("This article is already withdrawn.")
            self.withdrawn_at = timezone.now()
            self.withdrawn_reason = reason
            self.withdrawn_by = by
            self._record_move(by, ["withdrawn_at", "withdrawn_reason", "withdrawn_by"], "withdrawn", reason)

    def reinstate(self, *, by):
        """Lift a withdrawal: readers see the story again as it was."""
        require(by, WITHDRAW)
        with transaction.atomic():
            self._lock_state()
            if self.withdrawn_at is None:
                raise exceptions.NotWithdrawn("This article is not withdrawn.")
            self.withdrawn_at = None
            self.withdrawn_reason = ""
            self.withdrawn_by = None
            self._record_move(by, ["withdrawn_at", "withdrawn_reason", "withdrawn_by"], "reinstated")

    def submit_for_review(self, *, by):
        """A writer hands a draft to an editor."""
        require(by, CHANGE)
        with transaction.atomic():
            self._lock_state()
            if self.status != self.Status.DRAFT:
                raise exceptions.NotADraft("Only a draft can go to review.")
            self.status = self.Status.REVIEW
            self._record_move(by, ["status"], "changed", "submitted for review")

    def return_to_draft(self, *, by):
        """A story in review goes back to its writer as a draft."""
        require(by, CHANGE)
        with transaction.atomic():
            self._lock_state()
            if self.status != self.Status.REVIEW:
                raise exceptions.NotInReview("Only a story in review goes back to draft.")
            self.status = self.Status.DRAFT
            self._record_move(by, ["status"], "changed", "back to draft")

    # --- Reaching a state the change form asks for, by the moves above -----------------------

    def moves_to(self, status, published_at, now):
        """The moves that take this article from its state now to the one a form asks for, as
        (method name, keyword arguments), in order; an empty list when the state stays. Raises
        the named refusal a move would raise, so a form can say so before anything is written.

        A live story whose date the form changes to another past moment keeps its state: the date
        is corrected as an ordinary field, not moved."""
        Status = self.Status
        live = self.is_published_at(now)
        if status == Status.PUBLISHED:
            if published_at is not None and published_at > now:
                if self.status == Status.PUBLISHED and self.published_at == published_at:
                    return []
                if live:
                    raise exceptions.AlreadyPublished(
                        "This story is live: unpublish it before you schedule it for later."
                    )
                moves = [("schedule", {"at": published_at})]
            elif live:
                return []
            else:
                moves = [("publish", {"at": published_at})]
            if self.withdrawn_at is not None:
                raise exceptions.ArticleWithdrawn("Lift the withdrawal before publishing or scheduling.")
            return moves
        moves = []
        if self.status == Status.PUBLISHED:
            moves.append(("unpublish", {}))
        if status == Status.REVIEW and self.status != Status.REVIEW:
            moves.append(("submit_for_review", {}))
        elif status == Status.DRAFT and self.status == Status.REVIEW:
            moves.append(("return_to_draft", {}))
        return moves

    def move_to(self, moves, *, by):
        """Make the moves moves_to planned, each with its own checks and history line."""
        for name, arguments in moves:
            getattr(self, name)(by=by, **arguments)

    def _lock_state(self):
        """Read the state again under a row lock: two moves at once are made one after the other,
        and each checks what the other left."""
        current = type(self).objects.select_for_update().filter(pk=self.pk).values(*STATE_FIELDS).get()
        for name, value in current.items():
            setattr(self, name, value)

    def _record_move(self, by, fields, action, note=""):
        self.save(update_fields=[*fields, "updated_at"])
        if isinstance(by, SystemCaller):
            note = f"{note} (by {by})" if note else f"by {by}"
        # The history model through its relation: revisions.py already imports this package's
        # article module, and a second import the other way would close a circle.
        self.revisions.model.record(self, by, action, note)
