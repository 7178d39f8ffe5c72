"""Bringing subscribers over from an old list into one newsletter, in batches, never emailing anyone.

Each row ends one of four ways, said with its line number (the header is line 1):
- added: a new subscription (with a consent record naming the file), or a new suppression;
- updated: a name filled in, a pending sign-up the file vouches for, or an imported
  subscription the file now says has ended;
- skipped: already so here, suppressed here, or the same address earlier in the file, so
  importing a file twice changes nothing the second time;
- invalid: the message says which cell and why; the other rows still go in.

Unsubscribed rows suppress this newsletter, cleaned (bounced) and complained rows every
newsletter; none becomes a subscription, and an existing suppression is never lifted here, so
a later file naming the address again does not bring it back. A reader's own confirmation here
(the form or their account) outranks an old list's "unsubscribed".
"""

from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import import_rows
from .import_rows import CLEANED, COMPLAINED, REFUSALS, UNSUBSCRIBED
from .models import Consent, Subscriber, Subscription, Suppression, address_hash

OUTCOMES = ("added", "updated", "skipped", "invalid")
BATCH = 1000
SOURCE = "import"  # Subscription.source of every imported subscription
WORDING_VERSION = "import"  # Consent.wording_version of an imported consent
REASONS = {
    UNSUBSCRIBED: Suppression.Reason.IMPORTED,
    CLEANED: Suppression.Reason.BOUNCED,
    COMPLAINED: Suppression.Reason.COMPLAINED,
}


@dataclass
class Tally:
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    rows: int = 0

    def summary(self):
        said = ", ".join(f"{self.counts[o]} {o}" for o in OUTCOMES)
        return f"{'Dry run, nothing changed: would have ' if self.dry_run else ''}{said}."


def run(binary, label, newsletter, *, dry_run=False, say=print, progress=None):
    """Import a seekable binary file (CSV or zip) into the newsletter; returns the Tally.

    Raises Unreadable before changing anything when a header is wrong, and part-way through when
    the rest of the file cannot be read (the rows before it are in; a rerun skips them).
    """
    tally = Tally(dry_run=dry_run)
    counted = [0]
    for part in import_rows.parts(binary, label):
        for chunk in batched(import_rows.rows(part, counted), BATCH):
            Batch(part, newsletter, label, dry_run).apply(chunk, tally, say)
            if progress is not None:
                progress(chunk[-1][0], tally)
    return tally


def batched(rows, size):
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


class Batch:
    """Up to BATCH rows: read what is here in three queries, decide each row, write in bulk."""

    def __init__(self, part, newsletter, label, dry_run):
        self.part, self.newsletter, self.label, self.dry_run = part, newsletter, label, dry_run
        self.now = timezone.now()
        self.said = []
        self.seen = {}  # address -> the line it was first decided on, in this batch
        self.new_subscribers, self.new_subscriptions, self.named = {}, {}, {}
        self.confirmed, self.ended, self.suppressions = {}, set(), []

    def apply(self, chunk, tally, say):
        rows = []
        for line, cells in chunk:
            row, errors = import_rows.parse(self.part, line, cells)
            if errors:
                tally.counts["invalid"] += 1
                self.said.extend((line, message) for message in errors)
            else:
                rows.append(row)
        self.load(rows)
        # Refusals first, so a row that stops mail wins over one that would start it.
        for row in sorted(rows, key=lambda row: (row.status not in REFUSALS, row.line)):
            outcome, message = self.decide(row) if row.email not in self.seen else self.again(row)
            self.seen.setdefault(row.email, row.line)
            tally.counts[outcome] += 1
            self.said.append((row.line, f"{self.part.label} line {row.line}: {outcome}: {message}"))
        tally.rows += len(chunk)
        if not self.dry_run:
            with transaction.atomic():
                self.write()
        for _, message in sorted(self.said):
            say(message)

    def load(self, rows):
        emails = {row.email for row in rows}
        self.subscribers = {s.email: s for s in Subscriber.objects.filter(email__in=emails)}
        self.subscriptions = {
            s.subscriber_id: s
            for s in Subscription.objects.filter(
                newsletter=self.newsletter, subscriber__in=self.subscribers.values()
            )
        }
        self.hashes = {email: address_hash(email) for email in emails}
        self.blocked = {}  # hash -> True when every newsletter is suppressed, False for this one only
        for digest, letter in Suppression.objects.filter(
            Q(newsletter__isnull=True) | Q(newsletter=self.newsletter), address_hash__in=self.hashes.values()
        ).values_list("address_hash", "newsletter_id"):
            self.blocked[digest] = self.blocked.get(digest, False) or letter is None

    def again(self, row):
        return "skipped", f"{row.email} is on line {self.seen[row.email]} of this file too"

    def decide(self, row):
        subscriber = self.subscribers.get(row.email)
        subscription = self.subscriptions.get(subscriber.pk) if subscriber else None
        if row.status in REFUSALS:
            return self.refuse(row, subscription)
        digest = self.hashes[row.email]
        if digest in self.blocked:
            return "skipped", f"{row.email} is suppressed here; an import does not bring it back"
        if subscription is None:
            self.new_subscriptions[row.email] = row
            if subscriber is None:
                self.new_subscribers[row.email] = row.name
            elif row.name and not subscriber.name:
                self.named[subscriber.pk] = row.name
            return "added", f"{row.email} subscribed" + (
                "" if row.consent_at else " (no consent date recorded)"
            )
        if subscription.status == Subscription.Status.PENDING:
            self.confirmed[subscription.pk] = row
            return "updated", f"{row.email} was waiting for confirmation; the file vouches for the consent"
        if subscription.status == Subscription.Status.UNSUBSCRIBED:
            return "skipped", f"{row.email} left this newsletter here; an import does not bring it back"
        if row.name and not subscriber.name:
            self.named[subscriber.pk] = row.name
            return "updated", f"{row.email}: name filled in"
        return "skipped", f"{row.email} is already subscribed"

    def refuse(self, row, subscription):
        digest = self.hashes[row.email]
        every = row.status in (CLEANED, COMPLAINED)
        current = subscription is not None and subscription.status != Subscription.Status.UNSUBSCRIBED
        if not every and current and subscription.source != SOURCE:
            return "skipped", f"{row.email} signed up here themselves, which outranks the old list"
        ends = current and subscription.source == SOURCE
        if ends:
            self.ended.add(subscription.pk)
        if self.blocked.get(digest) is True or (digest in self.blocked and not every):
            return (
                ("updated", f"{row.email}: imported subscription ended")
                if ends
                else (
                    "skipped",
                    f"{row.email} is already suppressed",
                )
            )
        self.blocked[digest] = every
        self.suppressions.append(
            Suppression(
                address_hash=digest,
                newsletter=None if every else self.newsletter,
                reason=REASONS[row.status],
                created_at=self.now,
            )
        )
        scope = "every newsletter" if every else "this newsletter"
        return ("updated" if ends else "added"), f"{row.email} {row.status}: suppressed for {scope}"

    def write(self):
        now = self.now
        Subscriber.objects.bulk_create(
            [
                Subscriber(email=email, name=name, created_at=now)
                for email, name in self.new_subscribers.items()
            ],
            ignore_conflicts=True,
        )
        if self.named:
            Subscriber.objects.bulk_update(
                [Subscriber(pk=pk, name=name) for pk, name in self.named.items()], ["name"]
            )
        ids = dict(Subscriber.objects.filter(email__in=self.new_subscriptions).values_list("email", "pk"))
        Subscription.objects.bulk_create(
            [
                Subscription(
                    subscriber_id=ids[email],
                    newsletter=self.newsletter,
                    status=Subscription.Status.SUBSCRIBED,
                    source=SOURCE,
                    created_at=now,
                    confirmed_at=row.consent_at or now,
                )  # fmt: skip
                for email, row in self.new_subscriptions.items()
            ],
            ignore_conflicts=True,  # a reader who signed up meanwhile keeps their own
        )
        made = Subscription.objects.filter(
            newsletter=self.newsletter, subscriber_id__in=ids.values(), source=SOURCE, created_at=now
        ).values_list("subscriber__email", "pk")
        consents = [self.consent(pk, self.new_subscriptions[email]) for email, pk in made]
        for pk, row in self.confirmed.items():
            consents.append(self.consent(pk, row))
        if self.confirmed:
            Subscription.objects.filter(pk__in=self.confirmed, status=Subscription.Status.PENDING).update(
                status=Subscription.Status.SUBSCRIBED, confirmed_at=now
            )
        Consent.objects.bulk_create(consents)
        if self.ended:
            Subscription.objects.filter(pk__in=self.ended).update(
                status=Subscription.Status.UNSUBSCRIBED, left_at=now, paused_until=None
            )
        Suppression.objects.bulk_create(self.suppressions, ignore_conflicts=True)

    def consent(self, subscription_id, row):
        """The evidence we have: the file, the old list's source and date; no date, no recorded consent."""
        source = f" Source: {row.source}." if row.source else ""
        return Consent(
            subscription_id=subscription_id,
            newsletter=self.newsletter,
            asked_at=row.consent_at or self.now,
            confirmed_at=row.consent_at,
            endpoint=f"import: {self.label}"[:300],
            page=row.source,
            wording_version=WORDING_VERSION,
            wording=f"Imported from {self.part.label}, line {row.line}, as the old list recorded it.{source}",
        )
