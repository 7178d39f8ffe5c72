"""`make restore BACKUP=var/backups/<stamp>`: bring a backup back into an empty database, media too.

It refuses a database that already holds articles, comments, images, supporters, plans,
donations or accounts (a restore replaces everything in it) unless told --force (FORCE=1). It
reads the whole backup first (the SQLite file's integrity and counts, every byte of the media
archive), so a damaged one changes nothing. Afterwards it counts articles, comments and
donations again and fails unless they match the backup's manifest.
"""

import json
import sqlite3
import subprocess
import tarfile
import zlib
from contextlib import closing
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from canary import page_cache
from canary.backup_media import restore_media

from .backup import (
    MANIFEST,
    count_rows,
    counted_tables,
    postgres_environment,
    postgres_tool,
)


def kept_tables():
    """The tables holding what people made or paid: a restore must not replace them unasked."""
    from django.contrib.auth import get_user_model

    from articles.models import Article, Comment, Image
    from supporters.models import Donation, Plan, Supporter

    models = {
        "articles": Article,
        "comments": Comment,
        "images": Image,
        "supporters": Supporter,
        "plans": Plan,
        "donations": Donation,
        "accounts": get_user_model(),
    }
    return {name: model._meta.db_table for name, model in models.items()}


def data_present():
    """What the target database already holds, {"articles": 14, ...}, counting only what is there."""
    found = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for name, table in kept_tables().items():
            if table in existing:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from our models
                count = cursor.fetchone()[0]
                if count:
                    found[name] = count
    return found


def check_sqlite_backup(source, expected):
    """Refuse a damaged or partial database file before anything is replaced."""
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup:
            verdict = backup.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise CommandError(f"The backup's database is damaged ({verdict}); nothing was changed.")
            counts = {}
            for name, table in counted_tables().items():
                counts[name] = backup.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
    except sqlite3.DatabaseError as error:
        raise CommandError(f"The backup's database cannot be read ({error}); nothing was changed.") from None
    if counts != expected:
        raise CommandError(
            f"The backup's database does not match its manifest ({counts} != {expected}); nothing was changed."
        )


def check_media_archive(archive_path):
    """Read the whole media archive once, so a truncated one is found before anything is replaced."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive:
                if member.name.startswith("media/") and member.isfile():
                    # Refused here, before anything is replaced, as restore_media would refuse it.
                    tarfile.data_filter(member, "/restore")
                if member.isfile():
                    with archive.extractfile(member) as data:
                        while data.read(1 << 20):
                            pass
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise CommandError(f"The backup's media archive is damaged ({error}); nothing was changed.") from None


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
        try:
            vendor = manifest["database"]["vendor"]
            source = folder / manifest["database"]["file"]
            media = folder / manifest["media"]["file"] if manifest["media"]["file"] else None
            expected = dict(manifest["counts"])
        except (KeyError, TypeError, ValueError):
            raise CommandError(
                f"{folder} is not a backup: its {MANIFEST} lacks what a backup writes."
            ) from None
        if vendor != connection.vendor:
            raise CommandError(
                f"This backup is of a {vendor} database, but DATABASE_URL points at {connection.vendor}."
            )
        for path in (source, media):
            if path is not None and not path.is_file():
                raise CommandError(f"The backup is incomplete: {path} is missing.")

        present = data_present()
        if present and not force:
            held = ", ".join(f"{count} {name}" for name, count in present.items())
            raise CommandError(
                f"The database already holds {held}. A restore replaces everything in it, so it only "
                "goes into an empty database; to replace this one anyway, run it again with FORCE=1 "
                "(make restore) or --force."
            )

        # Every part of the backup is checked before the first thing is replaced.
        if media is not None:
            check_media_archive(media)
        if vendor == "sqlite":
            check_sqlite_backup(source, expected)
            restore_sqlite(source)
        else:
            restore_postgres(source)
        # A backup made --without-media leaves the storage's files as they are.
        try:
            media_files = restore_media(media) if media is not None else 0
        except Exception as error:  # the disk or the bucket failed part way
            raise CommandError(
                f"The database is restored, but the media storage failed ({error}); run the restore "
                "again with --force once it answers."
            ) from None

        with connection.cursor() as cursor:
            counts = count_rows(cursor)
        if counts != expected:
            raise CommandError(f"Restored, but the counts differ from the backup's: {counts} != {expected}")
        # Pages cached before the restore must not outlive it.
        page_cache.bump_generation()
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {folder}: {counts['articles']} articles, {counts['comments']} comments, "
                f"{counts['donations']} donations, {media_files} media files."
            )
        )
