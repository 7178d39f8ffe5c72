import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from articles import commenting
from core.commands import require_migrated_database


class Command(BaseCommand):
    help = "Export (as JSON) or erase everything held about a commenter, found by email."

    def add_arguments(self, parser):
        parser.add_argument("email")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--export", action="store_true", help="Print the commenter's data as JSON.")
        action.add_argument("--erase", action="store_true", help="Erase the commenter's personal data.")

    def handle(self, email, export, erase, **options):
        require_migrated_database()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        if export:
            self.stdout.write(json.dumps(commenting.export_commenter(email), indent=2, ensure_ascii=False))
            return
        count = commenting.erase_commenter(email)
        self.stdout.write(self.style.SUCCESS(f"Erased the personal data in {count} comment(s) by {email}."))
