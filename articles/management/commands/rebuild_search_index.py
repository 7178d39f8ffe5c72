from django.core.management.base import BaseCommand

from articles import search
from core.commands import require_migrated_database


class Command(BaseCommand):
    help = "Reindex every article for the reader search (after an import or a bulk update, say)."

    def handle(self, *args, **options):
        require_migrated_database()
        count = search.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} articles."))
