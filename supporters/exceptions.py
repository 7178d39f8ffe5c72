class GivingError(Exception):
    """A change to a donation or plan that its current state does not allow."""


class IllegalTransition(GivingError):
    pass


class ProviderError(GivingError):
    """The payment provider refused or could not be reached."""
