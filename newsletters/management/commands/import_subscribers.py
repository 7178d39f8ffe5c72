"""manage.py import_subscribers FILE --newsletter SLUG [--dry-run] [--send-confirmations]: see newsletters/importing.py."""

import os

from django.core.management.base import BaseCommand, CommandError

from newsletters import import_notice, importing
from newsletters.import_rows import Unreadable, check_size
from newsletters.models import Newsletter


class Command(BaseCommand):
    help = (
        "Import subscribers into a newsletter from a CSV file or the hosted list's audience export "
        "(its zip too). Emails nobody; exits 0 whenever the file could be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV (email, name, status, consent_date, source) or zip")
        parser.add_argument("--newsletter", required=True, help="The slug of the newsletter to import into.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; change nothing.")
        parser.add_argument(
            "--send-confirmations",
            action="store_true",
            help="Afterwards, email once each imported subscriber whose consent has a recorded date "
            "(no file needed for this alone).",
        )

    def handle(self, *args, file=None, newsletter=None, dry_run=False, send_confirmations=False, **options):
        letter = Newsletter.objects.filter(slug=newsletter).first()
        if letter is None:
            slugs = ", ".join(Newsletter.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"There is no newsletter {newsletter!r} (there are: {slugs}).")
        if not file and not send_confirmations:
            raise CommandError("Name a file to import, or pass --send-confirmations.")
        say = self.stdout.write
        if file:
            try:
                check_size(os.path.getsize(file))
                with open(file, "rb") as binary:
                    tally = importing.run(binary, os.path.basename(file), letter, dry_run=dry_run, say=say)
            except OSError as error:
                raise CommandError(f"{file} could not be read: {error.strerror}.") from error
            except Unreadable as error:
                raise CommandError(str(error)) from error
            say(self.style.SUCCESS(tally.summary()))
        if send_confirmations and not dry_run:
            say(f"Confirmation emails queued: {import_notice.send_confirmations(letter)}.")
