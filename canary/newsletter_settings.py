"""How newsletters are sent, and how long an unconfirmed sign-up waits: settings read from the
environment, star-imported by canary/settings.py (which keeps their names)."""

from django.core.exceptions import ImproperlyConfigured

from canary.environment import env_bool, env_int

# Messages a second for newsletters, shared by every worker and process; 0 sends as fast as it can.
NEWSLETTER_MAX_RATE = env_int("NEWSLETTER_MAX_RATE", 0)
# Soft bounces (a full mailbox, a server away) in a row after which an address gets no newsletter.
NEWSLETTER_SOFT_BOUNCE_LIMIT = env_int("NEWSLETTER_SOFT_BOUNCE_LIMIT", 3)
# An issue goes in batches of this many, each held by a lease renewed every NEWSLETTER_RECORD_EVERY
# messages recorded or a third of the lease, whichever comes first (a dead worker leaves at most
# that many sent but unrecorded, sent again).
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 500)
NEWSLETTER_LEASE_SECONDS = env_int("NEWSLETTER_LEASE_SECONDS", 120)
NEWSLETTER_RECORD_EVERY = env_int("NEWSLETTER_RECORD_EVERY", 20)
# Over SMTP, an issue's message is built once per audience and only the reader's parts put in
# per message (newsletters/mime.py); off, every message goes through Django's EmailMessage.
NEWSLETTER_PREBUILT_MIME = env_bool("NEWSLETTER_PREBUILT_MIME", True)
# How often the clock hands batches with a lapsed lease to a new task.
NEWSLETTER_RECLAIM_SECONDS = env_int("NEWSLETTER_RECLAIM_SECONDS", 60)
# A sign-up nobody confirms is deleted after this many days, with the address when it has nothing
# else here. Never before its link (a week long) has run out.
NEWSLETTER_PENDING_DAYS = env_int("NEWSLETTER_PENDING_DAYS", 30)
if NEWSLETTER_PENDING_DAYS < 8:
    raise ImproperlyConfigured(
        "NEWSLETTER_PENDING_DAYS must be 8 or more: a confirmation link lasts a week, and the sign-up "
        "it confirms must outlive it."
    )
