"""Newsletters, the readers who asked for them, the consent they gave, and who must never get one."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .exceptions import NotPending

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

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    sender_name = models.CharField(
        max_length=120, blank=True, help_text="Shown as the sender; the site's name if blank."
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

    def __str__(self):
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Subscription.Status.SUBSCRIBED)


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

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter"], name="one_subscription_per_letter")
        ]
        indexes = [models.Index(fields=["newsletter", "status"])]

    def __str__(self):
        return f"{self.subscriber} → {self.newsletter}"

    def confirm(self, now=None):
        """Pending to subscribed; the reader's own earlier "leave" for this letter is lifted by it."""
        if self.status != self.Status.PENDING:
            raise NotPending(self.status)
        now = now or timezone.now()
        with transaction.atomic():
            self.status = self.Status.SUBSCRIBED
            self.confirmed_at = now
            self.save(update_fields=["status", "confirmed_at"])
            Suppression.objects.filter(
                address_hash=address_hash(self.subscriber.email),
                newsletter=self.newsletter,
                reason=Suppression.Reason.UNSUBSCRIBED,
            ).delete()


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

    class Meta:
        ordering = ["-asked_at"]

    def __str__(self):
        return f"{self.newsletter_id}: {self.wording_version} at {self.asked_at:%Y-%m-%d %H:%M}"


class Suppression(models.Model):
    """An address that must not receive one newsletter (or any, when newsletter is empty)."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", "Left"
        BOUNCED = "bounced", "Hard bounce"
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
    def applies(cls, address, newsletter):
        return cls.objects.filter(
            Q(newsletter__isnull=True) | Q(newsletter=newsletter), address_hash=address_hash(address)
        ).exists()


# The sending side (issue 21) keeps its models in modules of their own, registered from here.
from .delivery import Batch, Delivery  # noqa: E402, F401
from .issue import Issue, Story  # noqa: E402, F401
