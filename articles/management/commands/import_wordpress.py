import time
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.wordpress import wxr
from articles.wordpress.importer import LONDON, Importer
from core.planner import refresh_statistics


class ProgressBar:
    """A one-line text bar, redrawn at most ten times a second."""

    width = 30

    def __init__(self, out):
        self.out = out
        self.last_drawn = 0.0

    def __call__(self, done, total):
        now = time.monotonic()
        finished = done >= total
        if not finished and now - self.last_drawn < 0.1:
            return
        self.last_drawn = now
        filled = self.width if not total else min(self.width, self.width * done // total)
        bar = "#" * filled + "." * (self.width - filled)
        self.out.write(f"\r[{bar}] {done}/{total} items", ending="\n" if finished else "")
        self.out.flush()


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools > Export > All content): posts, pages, authors, categories, "
        "tags, pictures, comments and old links. Running it again updates what it imported before."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="the WXR file WordPress exported")
        parser.add_argument(
            "--media-dir",
            help="a copy of the site's wp-content/uploads; without it pictures are downloaded from their URLs",
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
        parser.add_argument(
            "--since", help="import only posts and pages dated on or after this day (YYYY-MM-DD)"
        )

    def handle(self, *args, export, media_dir=None, dry_run=False, since=None, **options):
        path = Path(export)
        if not path.is_file():
            raise CommandError(f"There is no file at {export}.")
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(f"The media folder {media_dir} does not exist.")
        importer = Importer(
            path,
            media_dir=media_dir,
            dry_run=dry_run,
            since=self.parse_since(since),
            progress=ProgressBar(self.stdout) if self.stdout.isatty() else None,
        )
        try:
            report = importer.run()
        except wxr.ExportError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
        if not dry_run:
            refresh_statistics()
        if report.failed:
            raise CommandError(
                f"{report.failed} item(s) could not be imported (listed above); everything else was."
            )

    @staticmethod
    def parse_since(value):
        if not value:
            return None
        try:
            day = datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            raise CommandError(
                f"--since wants a date as YYYY-MM-DD, such as 2021-03-01, not {value!r}."
            ) from None
        return day.replace(tzinfo=LONDON)
