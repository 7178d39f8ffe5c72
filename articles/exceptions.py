"""Named refusals of the newsroom's moves: what a caller (the admin, a job, a command) catches."""

from django.core.exceptions import PermissionDenied


class IllegalTransition(Exception):
    """A move the article's or comment's current state does not allow."""


class AlreadyPublished(IllegalTransition):
    """Publishing or scheduling a story readers can already see."""


class NotPublished(IllegalTransition):
    """Unpublishing a story that is a draft or in review."""


class ArticleWithdrawn(IllegalTransition):
    """Publishing or scheduling a withdrawn story: its withdrawal must be lifted first."""


class AlreadyWithdrawn(IllegalTransition):
    pass


class NotWithdrawn(IllegalTransition):
    """Lifting a withdrawal that is not there."""


class NotInTheFuture(IllegalTransition):
    """Scheduling for a moment that has already come."""


class ReasonRequired(IllegalTransition):
    """A withdrawal with no reason for the newsroom's record."""


class NotADraft(IllegalTransition):
    """Only a draft goes to review."""


class NotInReview(IllegalTransition):
    """Only a story in review goes back to draft."""


class SpamCannotBePinned(IllegalTransition):
    """Only a comment readers can see may be an editor's pick."""


class ModerationChanged(IllegalTransition):
    """Undoing a moderation after the comment changed again: someone else moderated it since."""


class StaleVersion(Exception):
    """Saving an article from a copy older than the stored one: someone saved it since this copy
    was loaded (or the form opened). Nothing is written; reload and make the change again."""

    def __init__(self, loaded, stored):
        super().__init__(f"Version {stored} is saved; this copy was made from version {loaded}.")
        self.loaded, self.stored = loaded, stored


class NotPermitted(PermissionDenied):
    """The person lacks the permission the move asks for (a 403 wherever it surfaces)."""
