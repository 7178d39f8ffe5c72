from django.core.management.base import BaseCommand
from django.db import transaction

from articles.factories import make_image
from core.commands import require_migrated_database
from supporters.models import AdSlot, CallToAction, HouseAd

CALLS = [
    {
        "name": "Site banner: go ad-free",
        "placement": CallToAction.Placement.BANNER,
        "headline": "Support us and go ad-free",
        "text": "We are owned by the people who make this site. Readers pay for it, and members read without ads.",
        "button_label": "Become a member",
        "link": "/support/",
        "weight": 3,
    },
    {
        "name": "End of article: keep it free",
        "placement": CallToAction.Placement.END,
        "headline": "This story was paid for by readers",
        "text": "No billionaire owner and no paywall: just readers who chip in. £5 a month keeps a reporter on the "
        "beat for a day. Join them, and read without ads.",
        "button_label": "Give £5 a month",
        "link": "/support/",
        "weight": 2,
    },
    {
        "name": "Members: invite a friend",
        "placement": CallToAction.Placement.END,
        "headline": "Thank you for being a member",
        "text": "Know someone who would read us? Send them our story of who owns us.",
        "button_label": "Who owns us",
        "link": "/about/who-owns-us/",
        "audience": CallToAction.Audience.MEMBERS,
        "weight": 1,
    },
]

# The house ad's words are drawn onto its picture, and its alt text says the same words: what
# a reader sees and what a screen reader hears agree.
BOOK_CLUB_WORDS = ("The Canary book club", "Read with us every month. Join free.")
BOOK_CLUB_ALT = "The Canary book club: read with us every month. Join free."


class Command(BaseCommand):
    help = "Create the demo calls to action, ad slots and a house ad. Safe to run again."

    def handle(self, *args, **options):
        require_migrated_database()
        with transaction.atomic():
            created = 0
            for data in CALLS:
                _, made = CallToAction.objects.get_or_create(name=data["name"], defaults=data)
                created += made
            for placement in AdSlot.Placement.values:
                AdSlot.objects.get_or_create(placement=placement)
            slot = AdSlot.objects.get(placement=AdSlot.Placement.MID_ARTICLE)
            if not slot.ads.exists():
                image = make_image(
                    alt_text=BOOK_CLUB_ALT,
                    credit="Canary staff",
                    seed=77,
                    width=728,
                    height=180,
                    words=BOOK_CLUB_WORDS,
                )
                HouseAd.objects.create(slot=slot, name="Book club", image=image, link="/about/about-us/")
                created += 1
        self.stdout.write(f"Demo appeals: {created} created." if created else "Demo appeals already present.")
