"""`make restore BACKUP=var/backups/<stamp>`: bring a backup back into an empty database, media too.

It refuses a database that already has articles (a restore replaces everything in it) unless
told --force (FORCE=1). Afterwards it counts articles, comments and donations again and fails
unless they match the backup's manifest.
"""

import json
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from canary import page_cache

from .backup import (
    MANIFEST,
    count_rows,
    counted_tables,
    postgres_environment,
    postgres_tool,
)


def articles_present():
    """How many articles the target database holds (0 when it has no tables yet)."""
    table = counted_tables()["articles"]
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return 0
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - a table name from our model
        return cursor.fetchone()[0]


def restore_sqlite(source):
    target = connection.settings_dict["NAME"]
    connection.close()
    # The backup API again, the other way: the target becomes a page-for-page copy of the backup.
    with closing(sqlite3.connect(source)) as backup, closing(sqlite3.connect(target)) as database:
        backup.backup(database)


def restore_postgres(source):
    connection.close()
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [
            postgres_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        env=postgres_environment(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise CommandError(f"pg_restore failed, nothing was changed: {result.stderr.strip()}")


def restore_media(archive_path):
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    restored = 0
    with tarfile.open(archive_path, "r:gz") as archive:
        members = []
        for member in archive.getmembers():
            if not member.name.startswith("media/"):
                continue
            member.name = member.name.removeprefix("media/")
            members.append(member)
            restored += member.isfile()
        # The "data" filter refuses absolute paths, "..", links and devices: only files land,
        # and only under MEDIA_ROOT.
        archive.extractall(root, members=members, filter="data")
    return restored


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database (see README, Security)."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup's folder, e.g. var/backups/20250101T020000Z")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already has articles (FORCE=1)."
        )

    def handle(self, *args, backup, force, **options):
        folder = Path(backup)
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"{folder} is not a backup: cannot read its {MANIFEST} ({error}).") from None
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise CommandError(
                f"This backup is of a {vendor} database, but DATABASE_URL points at {connection.vendor}."
            )
        source = folder / manifest["database"]["file"]
        media = folder / manifest["media"]["file"]
        for path in (source, media):
            if not path.is_file():
                raise CommandError(f"The backup is incomplete: {path} is missing.")

        present = articles_present()
        if present and not force:
            raise CommandError(
                f"The database already has {present} articles. A restore replaces everything in it, so it "
                "only goes into an empty database; to replace this one anyway, run it again with FORCE=1 "
                "(make restore) or --force."
            )

        if vendor == "sqlite":
            restore_sqlite(source)
        else:
            restore_postgres(source)
        media_files = restore_media(media)

        with connection.cursor() as cursor:
            counts = count_rows(cursor)
        if counts != manifest["counts"]:
            raise CommandError(
                f"Restored, but the counts differ from the backup's: {counts} != {manifest['counts']}"
            )
        # Pages cached before the restore must not outlive it.
        page_cache.bump_generation()
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {folder}: {counts['articles']} articles, {counts['comments']} comments, "
                f"{counts['donations']} donations, {media_files} media files."
            )
        )
