class NewsletterError(Exception):
    """A change to a subscription that its current state does not allow."""


class NotPending(NewsletterError):
    """Only a pending subscription can be confirmed."""
