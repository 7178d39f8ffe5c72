"""manage.py import_supporters FILE [--dry-run] [--from-stripe]: see supporters/importing.py."""

import os

from django.core.management.base import BaseCommand, CommandError

from supporters import importing
from supporters.exceptions import ProviderError
from supporters.import_rows import Unreadable, check_rows, check_size
from supporters.import_welcome import send_welcomes


class Command(BaseCommand):
    help = (
        "Bring existing supporters over from a CSV file, or link the Stripe account's active subscriptions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="CSV of supporters, or of past payments (see docs/newsroom.md)"
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report; change nothing.")
        parser.add_argument(
            "--from-stripe", action="store_true", help="Link every active subscription of the Stripe account."
        )
        parser.add_argument(
            "--welcome",
            action="store_true",
            help="Afterwards, email every imported supporter not yet welcomed (once each).",
        )

    def handle(self, *args, file=None, dry_run=False, from_stripe=False, welcome=False, **options):
        if not file and not from_stripe:
            raise CommandError("Name a CSV file, or pass --from-stripe.")
        say = self.stdout.write
        tallies = []
        if file:
            try:
                check_size(os.path.getsize(file))
                # utf-8-sig: spreadsheets often start the file with a byte-order mark.
                with open(file, encoding="utf-8-sig", newline="") as lines:
                    check_rows(lines)
                    lines.seek(0)
                    tallies.append(importing.run(lines, dry_run=dry_run, say=say))
            except OSError as error:
                raise CommandError(f"{file} could not be read: {error.strerror}.") from error
            except UnicodeDecodeError as error:
                raise CommandError(
                    f"{file} is not UTF-8 text: save it from the spreadsheet as CSV UTF-8."
                ) from error
            except Unreadable as error:
                raise CommandError(str(error)) from error
        if from_stripe:
            try:
                tallies.append(importing.from_stripe(dry_run=dry_run, say=say))
            except ProviderError as error:
                raise CommandError(f"Stripe's list of subscriptions could not be read: {error}") from error
        for tally in tallies:
            say(self.style.SUCCESS(tally.summary()))
        if welcome and not dry_run:
            say(f"Welcome emails queued: {send_welcomes()}.")
