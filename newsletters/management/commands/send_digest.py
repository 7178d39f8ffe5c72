from django.core.management.base import BaseCommand, CommandError

from core.commands import require_migrated_database
from newsletters import digest
from newsletters.models import Newsletter


class Command(BaseCommand):
    help = (
        "Send a newsletter's digest now: the stories published since its last digest. "
        "Nothing is sent when nothing is new, unless --force (then it carries the latest stories)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The newsletter's slug, e.g. daily.")
        parser.add_argument(
            "--force", action="store_true", help="Send even when nothing is new since the last digest."
        )

    def handle(self, *args, slug, force, **options):
        require_migrated_database()
        newsletter = Newsletter.objects.filter(slug=slug).first()
        if newsletter is None:
            known = ", ".join(Newsletter.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No newsletter has the slug {slug!r} (known: {known}).")
        issue = digest.send(newsletter, force=force)
        if issue is None:
            self.stdout.write(
                f"Nothing new since the last digest of {newsletter}: nothing sent (--force sends anyway)."
            )
            return
        self.stdout.write(f"{issue.subject}: sending to {issue.recipients} reader(s).")
