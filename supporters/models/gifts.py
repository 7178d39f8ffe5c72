"""A year of membership bought by one person for another: paid once, claimed once."""

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from ..exceptions import IllegalTransition

# A gift is a year of membership; its email may wait up to a year; an unclaimed gift lapses (and
# its recipient's details are erased) a year after its email went out.
GIFT_DAYS = 365
SEND_AHEAD_DAYS = 365
CLAIM_DAYS = 365
# The recipient hears this long before the gifted year ends.
REMINDER_DAYS = 14
MESSAGE_MAX = 300


class GiftQuerySet(models.QuerySet):
    def giving_membership(self, now=None):
        """Claimed gifts whose year covers `now`: the gifts' part of Supporter.objects.members()."""
        now = now or timezone.now()
        return self.filter(member_from__lte=now, member_until__gt=now)

    def paid(self):
        return self.filter(purchase__status="paid")


class GiftMembership(models.Model):
    """The gift itself; its payment is an ordinary Donation (frequency "gift") on the buyer's record.

    The recipient's details are the buyer's words about someone else: they are kept only until
    the gift is claimed (the claim makes the address a supporter) or lapses (they are erased).
    """

    purchase = models.OneToOneField("supporters.Donation", on_delete=models.PROTECT, related_name="gift")
    buyer_name = models.CharField(max_length=120)
    recipient_name = models.CharField(max_length=120, blank=True)
    recipient_email = models.EmailField(max_length=254, blank=True)
    message = models.CharField(max_length=MESSAGE_MAX, blank=True)
    send_at = models.DateTimeField(help_text="When the gift email goes out.")
    sent_at = models.DateTimeField(null=True, blank=True)
    claim_until = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        "supporters.Supporter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gifts_received",
    )
    # The gifted year, fixed at the claim: it starts when any membership the recipient has ends.
    member_from = models.DateTimeField(null=True, blank=True)
    member_until = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = GiftQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "gift membership"

    def __str__(self):
        return f"Gift membership {self.pk} from {self.buyer_name}"

    @property
    def months(self):
        """The gifted year in the months a checkout names (365 days: 12)."""
        return round(GIFT_DAYS * 12 / 365)

    @property
    def status(self):
        if self.claimed_at:
            return "claimed"
        if self.erased_at:
            return "lapsed"
        if self.sent_at:
            return "sent"
        if self.purchase.status == "paid":
            return "waiting to be sent"
        return "not paid"

    def mark_sent(self, now=None):
        """The gift email has gone: the claim window opens now."""
        now = now or timezone.now()
        if self.sent_at is not None:
            raise IllegalTransition("This gift has already been sent.")
        self.sent_at = now
        self.claim_until = now + timedelta(days=CLAIM_DAYS)
        self.save(update_fields=["sent_at", "claim_until"])

    def claim(self, now=None):
        """Make the recipient a member for a year from the end of any membership they have.

        Refuses a gift that is unpaid, unsent, already claimed or lapsed; a row lock makes two
        claims at once one claim and one refusal, and the recipient's lock puts two gifts' years
        one after the other.
        """
        # The supporter model through the relation: people.py imports this module for members().
        Supporter = GiftMembership.claimed_by.field.related_model  # noqa: N806

        asked, now = now, now or timezone.now()
        with transaction.atomic():
            gift = GiftMembership.objects.select_for_update().select_related("purchase").get(pk=self.pk)
            if gift.claimed_at is not None:
                raise IllegalTransition("This gift has already been claimed.")
            if gift.purchase.status != "paid" or gift.sent_at is None:
                raise IllegalTransition("This gift cannot be claimed.")
            if gift.erased_at is not None or gift.claim_until <= now:
                raise IllegalTransition("This gift was not claimed in time and has lapsed.")
            recipient, _ = Supporter.objects.get_or_create(email=gift.recipient_email.strip().lower())
            # Locked too: two gifts for one person claimed at once would both read the same
            # membership end and overlap their years; the second waits and follows the first.
            recipient = Supporter.objects.select_for_update().get(pk=recipient.pk)
            # The time is read again once the locks are ours: a claim that waited must not start
            # its year before the one it waited for (whose start may be a moment after ours).
            now = asked or timezone.now()
            if recipient.erased_at is not None:
                raise IllegalTransition("This gift cannot be claimed.")
            until = recipient.membership_until(now)
            if until == "ongoing":
                # A renewing plan: the gift year follows the period already paid for.
                until = recipient.plans.giving_membership(now).order_by("-current_period_end").first()
                until = until.current_period_end if until and until.current_period_end else None
            start = max(until or now, now)
            gift.claimed_at, gift.claimed_by = now, recipient
            gift.member_from, gift.member_until = start, start + timedelta(days=GIFT_DAYS)
            gift.save(update_fields=["claimed_at", "claimed_by", "member_from", "member_until"])
        self.__dict__.update({k: v for k, v in gift.__dict__.items() if not k.startswith("_")})
        return gift

    def lapse(self, now=None):
        """An unclaimed gift past its window: the recipient's details are erased; the payment stays."""
        now = now or timezone.now()
        if self.claimed_at is not None or self.erased_at is not None:
            return False
        if self.claim_until is None or self.claim_until > now:
            raise IllegalTransition("This gift can still be claimed.")
        self.recipient_email = self.recipient_name = self.message = ""
        self.erased_at = now
        self.save(update_fields=["recipient_email", "recipient_name", "message", "erased_at"])
        return True
