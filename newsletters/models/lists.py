"""Newsletters, the readers who asked for them, the consent they gave, and who must never get one."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..exceptions import AlreadyLeft, NotPending, NotSubscribed

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


def normalise(address):
    return address.strip().lower()


# The first part of a path under /newsletters/ that the sign-up, leaving, clicks and providers'
# pages hold: a newsletter with one of these slugs would have an archive nobody could reach.
RESERVED_SLUGS = frozenset(
    {"account", "check-your-email", "confirm", "go", "leave", "preferences", "provider", "sign-up", "token"}
)


def not_reserved(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            f"“{value}” is taken by one of the newsletters' own pages; choose another address, "
            f"such as “{value}-letter”."
        )


def one_line(value):
    """Names that go into an email's headers (the list's name, the sender's) hold no line break."""
    if "\n" in value or "\r" in value:
        raise ValidationError("Write it on one line: it goes into the email's headers.")


def address_hash(address):
    """What a suppression keeps of an address: enough to recognise it, not to read it."""
    return hashlib.sha256(f"canary-newsletters:{normalise(address)}".encode()).hexdigest()


class NewsletterQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public=True)

    def offered_to(self, member):
        """What a reader may sign up for: members-only letters only to members."""
        return self if member else self.filter(audience=Newsletter.Audience.EVERYONE)


class Newsletter(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        MEMBERS = "members", "Members only"

    class Schedule(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        MANUAL = "manual", "Only when sent by hand"

    name = models.CharField(max_length=120, validators=[one_line])
    slug = models.SlugField(max_length=60, unique=True, validators=[not_reserved])
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    sender_name = models.CharField(
        max_length=120,
        blank=True,
        validators=[one_line],
        help_text="Shown as the sender; the site's name if blank.",
    )
    reply_to = models.EmailField(blank=True)
    schedule = models.CharField(max_length=10, choices=Schedule.choices, default=Schedule.MANUAL)
    send_time = models.TimeField(
        null=True, blank=True, help_text="London time, for daily and weekly letters."
    )
    weekday = models.PositiveSmallIntegerField(null=True, blank=True, choices=WEEKDAYS)
    public = models.BooleanField(
        default=True, help_text="Listed on /newsletters/ and offered in the sign-up form."
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsletters:archive", args=[self.slug])

    def clean(self):
        if self.schedule != self.Schedule.MANUAL and self.send_time is None:
            raise ValidationError({"send_time": "A daily or weekly letter needs a time."})
        if self.schedule == self.Schedule.WEEKLY and self.weekday is None:
            raise ValidationError({"weekday": "A weekly letter needs a day."})

    @property
    def members_only(self):
        return self.audience == self.Audience.MEMBERS

    def how_often(self):
        at = self.send_time.strftime("%H:%M") if self.send_time else ""
        if self.schedule == self.Schedule.DAILY:
            return f"Every day at {at} (London)"
        if self.schedule == self.Schedule.WEEKLY:
            return f"Every {dict(WEEKDAYS).get(self.weekday, 'week')} at {at} (London)"
        return "Now and then"


class Subscriber(models.Model):
    """A reader's address, lower-cased, once; their subscriptions hang from it."""

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Soft bounces in a row; a message that goes through (or a "delivered" event) resets it.
    soft_bounces = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def active(self, now=None):
        """Who is sent to now: confirmed, and not in a pause the reader chose."""
        now = now or timezone.now()
        return self.filter(status=Subscription.Status.SUBSCRIBED).exclude(paused_until__gt=now)

    def current(self):
        """Confirmed, paused or not: what a reader sees as "subscribed" on their pages."""
        return self.filter(status=Subscription.Status.SUBSCRIBED)

    def unconfirmed_since(self, cutoff):
        """Pending, never confirmed, and not asked for again since `cutoff`: a sign-up that
        lapsed (its link lasts a week), whose row holds nothing a reader ever agreed to."""
        return (
            self.filter(status=Subscription.Status.PENDING, created_at__lt=cutoff)
            .exclude(consents__asked_at__gte=cutoff)
            .exclude(consents__confirmed_at__isnull=False)
        )


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        SUBSCRIBED = "subscribed", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Left"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="subscriptions")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(
        max_length=40, default="form", help_text="Where it came from: form, account, import."
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    paused_until = models.DateTimeField(
        null=True, blank=True, help_text="Nothing is sent before this time; the reader chose a pause."
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="one_subscription_per_letter")
        ]
        indexes = [models.Index(fields=["newsletter", "status"])]
        permissions = [("export_subscribers", "Can export subscribers as CSV")]

    def __str__(self):
        return f"{self.subscriber} → {self.newsletter}"

    def confirm(self, now=None):
        """Pending to subscribed: a fresh confirmed opt-in lifts whatever held the address back
        from this letter, and from this letter only (Suppression.lift_for_opt_in)."""
        if self.status != self.Status.PENDING:
            raise NotPending(self.status)
        now = now or timezone.now()
        with transaction.atomic():
            self.status = self.Status.SUBSCRIBED
            self.confirmed_at = now
            self.save(update_fields=["status", "confirmed_at"])
            Suppression.lift_for_opt_in(self.subscriber.email, self.newsletter, now)
            # The mailbox took the confirmation: a run of soft bounces starts again from none.
            Subscriber.objects.filter(pk=self.subscriber_id, soft_bounces__gt=0).update(soft_bounces=0)

    def leave(self, now=None):
        """Ended at once, and remembered by a suppression so that no import brings it back.

        Refuses (AlreadyLeft) a subscription that has already ended; the row is re-read under a
        lock, so two clicks at once end it once.
        """
        now = now or timezone.now()
        with transaction.atomic():
            current = Subscription.objects.select_for_update().get(pk=self.pk)
            if current.status == self.Status.UNSUBSCRIBED:
                self.status, self.left_at = current.status, current.left_at
                raise AlreadyLeft(self.pk)
            self.status = self.Status.UNSUBSCRIBED
            self.left_at = now
            self.paused_until = None
            self.save(update_fields=["status", "left_at", "paused_until"])
            Suppression.objects.bulk_create(
                [
                    Suppression(
                        address_hash=address_hash(self.subscriber.email),
                        newsletter_id=self.newsletter_id,
                        reason=Suppression.Reason.UNSUBSCRIBED,
                        created_at=now,
                    )
                ],
                ignore_conflicts=True,
            )

    def pause(self, until, now=None):
        """Nothing is sent until then; only a confirmed subscription pauses, and only forwards."""
        now = now or timezone.now()
        if self.status != self.Status.SUBSCRIBED:
            raise NotSubscribed(self.status)
        if until <= now:
            raise ValueError("A pause ends in the future.")
        self.paused_until = until
        self.save(update_fields=["paused_until"])

    def resume(self):
        if self.status != self.Status.SUBSCRIBED:
            raise NotSubscribed(self.status)
        self.paused_until = None
        self.save(update_fields=["paused_until"])

    def is_paused(self, now=None):
        return self.paused_until is not None and self.paused_until > (now or timezone.now())


class Consent(models.Model):
    """What a reader agreed to, when, where and in which words: kept as evidence of consent."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="consents")
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    endpoint = models.CharField(max_length=300, help_text="The address the form was posted to.")
    page = models.CharField(
        max_length=300, blank=True, help_text="The page the form said it was on (not verified)."
    )
    wording_version = models.CharField(max_length=20)
    wording = models.TextField()
    # The name typed in the form, applied to the subscriber only once the address confirms.
    typed_name = models.CharField(max_length=120, blank=True)
    # An imported consent: when the one mailing that tells the reader they moved here went out.
    notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]

    def __str__(self):
        return f"{self.newsletter_id}: {self.wording_version} at {self.asked_at:%Y-%m-%d %H:%M}"


class Suppression(models.Model):
    """An address that must not receive one newsletter (or any, when newsletter is empty)."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", "Left"
        BOUNCED = "bounced", "Hard bounce"
        SOFT_BOUNCED = "soft_bounced", "Soft bounces in a row"
        COMPLAINED = "complained", "Spam complaint"
        ERASED = "erased", "Account erased"
        IMPORTED = "imported", "Imported as unsubscribed"

    address_hash = models.CharField(max_length=64, db_index=True)
    newsletter = models.ForeignKey(
        Newsletter, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=14, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address_hash", "newsletter"],
                condition=Q(newsletter__isnull=False),
                name="one_suppression_per_letter",
            ),
            models.UniqueConstraint(
                fields=["address_hash"], condition=Q(newsletter__isnull=True), name="one_suppression_for_all"
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.address_hash[:12]}…"

    @classmethod
    def blocks_proved_sign_up(cls, address, newsletter):
        """A suppression that a reader's proof of the address by link may not lift by itself.

        Their own earlier "leave" for this letter may be undone from their own pages; a bounce, a
        complaint, an erasure or an imported unsubscribe needs a fresh confirmed opt-in.
        """
        return (
            cls.objects.filter(
                Q(newsletter__isnull=True) | Q(newsletter=newsletter), address_hash=address_hash(address)
            )
            .exclude(newsletter=newsletter, reason=cls.Reason.UNSUBSCRIBED)
            .exists()
        )

    @classmethod
    def lift_for_opt_in(cls, address, newsletter, now):
        """A fresh confirmed opt-in: the reader proved the mailbox and asked for this letter.

        Whatever held the address back from it goes (their own leave, a bounce, a complaint, an
        erasure, an imported unsubscribe). An all-letters entry becomes one per other newsletter,
        so that nothing but another confirmed opt-in brings the address back to any of them.
        """
        digest = address_hash(address)
        for held in cls.objects.select_for_update().filter(address_hash=digest, newsletter__isnull=True):
            held.delete()
            cls.objects.bulk_create(
                [
                    cls(
                        address_hash=digest, newsletter=letter, reason=held.reason, created_at=held.created_at
                    )
                    for letter in Newsletter.objects.exclude(pk=newsletter.pk)
                ],
                ignore_conflicts=True,
            )
        cls.objects.filter(address_hash=digest, newsletter=newsletter).delete()

    @classmethod
    def applies(cls, address, newsletter):
        return cls.objects.filter(
            Q(newsletter__isnull=True) | Q(newsletter=newsletter), address_hash=address_hash(address)
        ).exists()
