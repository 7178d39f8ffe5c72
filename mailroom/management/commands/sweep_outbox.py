from django.core.management.base import BaseCommand

from mailroom.services import sweep


class Command(BaseCommand):
    help = "Give stranded emails a new delivery task and clear addresses of emails sent over 30 days ago."

    def handle(self, *args, **options):
        done = sweep()
        self.stdout.write(
            f"Re-queued {done['requeued']} stranded emails; cleared {done['trimmed']} old addresses."
        )
