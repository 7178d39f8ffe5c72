"""Signals that let apps above supporters act on a supporter's data without supporters importing them."""

from django.dispatch import Signal

# Sent inside the erasure's transaction, before the address is wiped, with `supporter` and
# `address` (the address as it was). A receiver erases what it holds for that address; if it
# raises, the whole erasure rolls back and nothing is half-deleted.
erasing = Signal()
