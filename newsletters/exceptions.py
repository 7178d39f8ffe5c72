class NewsletterError(Exception):
    """A change to a subscription that its current state does not allow."""


class NotPending(NewsletterError):
    """Only a pending subscription can be confirmed."""


class AlreadyLeft(NewsletterError):
    """A subscription that has ended cannot end again; callers that must be idempotent catch this."""


class NotSubscribed(NewsletterError):
    """Only a confirmed subscription can be paused or resumed."""
