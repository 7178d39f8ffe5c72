class NewsletterError(Exception):
    """A change to a subscription that its current state does not allow."""


class NotPending(NewsletterError):
    """Only a pending subscription can be confirmed."""


class AlreadyLeft(NewsletterError):
    """A subscription that has ended cannot end again; callers that must be idempotent catch this."""


class NotSubscribed(NewsletterError):
    """Only a confirmed subscription can be paused or resumed."""


class IssueError(NewsletterError):
    """A move of an issue that its current status does not allow."""


class NotEditable(IssueError):
    """Only a draft can be scheduled; a scheduled, sending or sent issue is not a draft."""


class NotSendable(IssueError):
    """Only a draft or a scheduled issue can start sending, once."""


class NotSending(IssueError):
    """Only an issue that is sending can be paused (or finish)."""


class NotPaused(IssueError):
    """Only a paused issue can be resumed."""


class AlreadyStarted(IssueError):
    """An issue that has started sending can be paused, not cancelled."""
