from django.core.management.base import BaseCommand

from articles import search


class Command(BaseCommand):
    help = "Reindex every article for the reader search (after an import or a bulk update, say)."

    def handle(self, *args, **options):
        count = search.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} articles."))
