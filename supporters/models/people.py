import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SupporterQuerySet(models.QuerySet):
    def members(self, now=None):
        """Supporters whose giving makes them members right now: a running plan, a recent one-off
        gift, or a claimed gift membership whose year covers now (the one definition; see
        Supporter.membership_until for when it ends)."""
        now = now or timezone.now()
        from .gifts import GiftMembership
        from .giving import Donation, Plan

        one_off_since = now - timedelta(days=settings.ONE_OFF_MEMBERSHIP_DAYS)
        return self.filter(
            Q(plans__in=Plan.objects.giving_membership(now))
            | Q(
                donations__status=Donation.Status.PAID,
                donations__frequency=Donation.Frequency.ONE_OFF,
                donations__paid_at__gte=one_off_since,
            )
            | Q(gifts_received__in=GiftMembership.objects.giving_membership(now))
        ).distinct()


class Supporter(models.Model):
    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=120, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="supporter"
    )
    created_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(
        null=True, blank=True, help_text="Personal data erased at their request."
    )

    objects = SupporterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("export_supporters", "Can export supporter data as CSV"),
            ("view_giving_totals", "Can see money and member totals"),
        ]

    def __str__(self):
        return self.name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def membership_until(self, now=None):
        """When membership ends, None if not a member; a running plan counts as open-ended.

        A one-off gift lasts ONE_OFF_MEMBERSHIP_DAYS from its payment; a claimed gift membership
        lasts the year fixed at its claim, which starts where the membership it extends ended, so
        the latest end of the two is when membership ends.
        """
        now = now or timezone.now()
        from .giving import Donation, Plan

        if Plan.objects.giving_membership(now).filter(supporter=self).exists():
            return "ongoing"
        ends = []
        last_one_off = (
            self.donations.filter(status=Donation.Status.PAID, frequency=Donation.Frequency.ONE_OFF)
            .order_by("-paid_at")
            .values_list("paid_at", flat=True)
            .first()
        )
        if last_one_off:
            until = last_one_off + timedelta(days=settings.ONE_OFF_MEMBERSHIP_DAYS)
            if until > now:
                ends.append(until)
        gifts = self.gifts_received.filter(member_until__gt=now)
        if ends or gifts.giving_membership(now).exists():
            ends += gifts.values_list("member_until", flat=True)
        return max(ends) if ends else None

    @property
    def is_member(self):
        return self.membership_until() is not None


def within_giving_limits(pence):
    """A preset the support form would refuse (under £1, say) must not be offered at all."""
    low, high = settings.DONATION_MIN_PENCE, settings.DONATION_MAX_PENCE
    if not low <= pence <= high:
        raise ValidationError(
            f"Offer between {low} and {high} pence (£{low / 100:,.2f} to £{high / 100:,.2f})."
        )


class AmountPreset(models.Model):
    """The amounts offered on the support form, per frequency, editable by editors."""

    frequency = models.CharField(
        max_length=8, choices=[("monthly", "Monthly"), ("annual", "Annual"), ("one_off", "One-off")]
    )
    amount_pence = models.PositiveIntegerField(
        help_text="In pence: 500 is £5.", validators=[within_giving_limits]
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_default = models.BooleanField(default=False, help_text="Selected when the form opens.")

    class Meta:
        ordering = ["frequency", "position", "amount_pence"]
        constraints = [models.UniqueConstraint(fields=["frequency", "amount_pence"], name="unique_preset")]

    def __str__(self):
        return f"£{self.amount_pence / 100:,.2f} {self.get_frequency_display().lower()}"


class GivingPage(models.Model):
    """The words on /support/: one row, edited in the admin."""

    headline = models.CharField(max_length=150, default="Support independent journalism")
    body = models.TextField(
        max_length=4000,
        default="We are owned by the people who work here and paid for by our readers. "
        "No billionaire owner, no paywall: what we publish is free for everyone to read.",
        help_text="Plain text; a blank line starts a new paragraph.",
    )
    gift_price_pence = models.PositiveIntegerField(
        "Price of a gift membership",
        default=6000,
        validators=[within_giving_limits],
        help_text="In pence: 6000 is £60, for a year of membership given as a present.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "support page"

    def __str__(self):
        return "Support page"

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls()


class SignInTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class SignInToken(models.Model):
    """A single-use, short-lived sign-in link. Only a hash of the token is stored."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="sign_in_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = SignInTokenQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["supporter", "created_at"], name="signin_supporter_idx")]

    def __str__(self):
        return f"Sign-in link for {self.supporter_id}"

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, supporter):
        token = secrets.token_urlsafe(32)
        cls.objects.create(
            supporter=supporter,
            token_hash=cls.hash(token),
            expires_at=timezone.now() + timedelta(minutes=settings.SIGN_IN_LINK_MINUTES),
        )
        return token

    @classmethod
    def spend(cls, token):
        """The supporter the token signs in, once; None if it is unknown, used or expired."""
        now = timezone.now()
        found = cls.objects.usable(now).filter(token_hash=cls.hash(token or "")).first()
        if found is None:
            return None
        # The conditional update makes a double submit of one link sign in only once.
        if not cls.objects.usable(now).filter(pk=found.pk).update(used_at=now):
            return None
        return found.supporter
