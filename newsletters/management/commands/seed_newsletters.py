from django.core.management.base import BaseCommand
from django.utils import timezone

from core.commands import require_migrated_database
from newsletters import demo


class Command(BaseCommand):
    help = (
        "Create the demo newsletters (daily and members), a few confirmed readers and one sent "
        "digest. Emails nobody. Safe to run again."
    )

    def handle(self, *args, **options):
        require_migrated_database()
        added = demo.seed(timezone.now())
        if any(added.values()):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo newsletters: {added['newsletters']} newsletter(s), {added['readers']} reader(s) "
                    f"and {added['issues']} sent issue(s) created."
                )
            )
        else:
            self.stdout.write("Demo newsletters already present.")
