from django.core.management.base import BaseCommand

from articles.models import Image
from articles.tasks import make_renditions
from core.commands import require_migrated_database


class Command(BaseCommand):
    help = "Queue renditions for every image that has none (--all: every image), for the worker."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Make them again for every image.")

    def handle(self, *args, all=False, **options):
        require_migrated_database()
        images = Image.objects.all() if all else Image.objects.filter(renditions={})
        ids = list(images.values_list("pk", flat=True))
        for image_id in ids:
            make_renditions.enqueue(image_id)
        self.stdout.write(self.style.SUCCESS(f"Renditions queued for {len(ids)} images."))
