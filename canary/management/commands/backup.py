"""`make backup`: a consistent copy of the database and the media files, in a dated folder.

The media are read through the storage API, so a bucket's files are copied as a disk's are;
``--without-media`` leaves them to the bucket's own versioning or replication.

var/backups/<UTC time>/ gets the database (SQLite's online backup API, or pg_dump's custom
format for PostgreSQL), media.tar.gz and manifest.json with what the copy holds. The counts in
the manifest are read from the copy itself (SQLite) or from the very snapshot pg_dump copies
(PostgreSQL), so they describe the backup exactly, however busy the site is.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from canary.backup_media import archive_media

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
SQLITE_FILE = "canary.sqlite3"
POSTGRES_FILE = "canary.dump"


def counted_tables():
    """What a restore must bring back, by the table that holds it."""
    from articles.models import Article, Comment
    from supporters.models import Donation

    return {
        "articles": Article._meta.db_table,
        "comments": Comment._meta.db_table,
        "donations": Donation._meta.db_table,
    }


def count_rows(cursor):
    counts = {}
    for name, table in counted_tables().items():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from our models
        counts[name] = cursor.fetchone()[0]
    return counts


def postgres_environment():
    """libpq's variables for the configured database, so no password is ever on a command line."""
    database = connection.settings_dict
    options = database.get("OPTIONS", {})
    values = {
        "PGDATABASE": database["NAME"],
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": str(database.get("PORT") or ""),
        "PGSSLMODE": options.get("sslmode"),
        "PGCONNECT_TIMEOUT": str(options.get("connect_timeout") or ""),
    }
    return {**os.environ, **{name: value for name, value in values.items() if value}}


def postgres_tool(name):
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} is not installed: install the PostgreSQL client tools (postgresql-client)."
        )
    return path


def backup_sqlite(folder):
    target = folder / SQLITE_FILE
    connection.ensure_connection()
    # Django's own connection as the source: it works for a file and for an in-memory test database.
    # The backup API copies one consistent state of the database, even while others write to it.
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        counts = count_rows(copy.cursor())
    return target, counts


def backup_postgres(folder):
    target = folder / POSTGRES_FILE
    with transaction.atomic(), connection.cursor() as cursor:
        # One snapshot for the counts and for pg_dump: the manifest describes exactly the dump.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = count_rows(cursor)
        result = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [postgres_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            env=postgres_environment(),
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
    return target, counts


class Command(BaseCommand):
    help = "Copy the database and the media files to var/backups/<UTC time>/ (see README, Security)."

    def add_arguments(self, parser):
        parser.add_argument("--to", help="The folder to write into (default: VAR_DIR/backups/<UTC time>).")
        parser.add_argument(
            "--without-media",
            action="store_true",
            help="Leave the media out: the bucket keeps its own copies (docs/production.md).",
        )

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            missing = set(counted_tables().values()) - set(connection.introspection.table_names(cursor))
        if missing:
            raise CommandError(
                "This database has no Canary tables yet (run migrate first): nothing to back up."
            )
        now = datetime.now(UTC)
        folder = Path(options["to"] or Path(settings.VAR_DIR) / "backups" / now.strftime("%Y%m%dT%H%M%SZ"))
        if folder.exists() and not folder.is_dir():
            raise CommandError(
                f"{folder} is a file, not a folder: give --to a folder to write the backup into."
            )
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} already holds files: a backup never overwrites another.")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot make the folder {folder}: {error.strerror or error}.") from None
        if connection.vendor == "sqlite":
            database_file, counts = backup_sqlite(folder)
        elif connection.vendor == "postgresql":
            database_file, counts = backup_postgres(folder)
        else:
            raise CommandError(f"Backups know SQLite and PostgreSQL, not {connection.vendor}.")
        if options["without_media"]:
            media_files, media = 0, {"file": None, "files": 0}
        else:
            media_files = archive_media(folder / MEDIA_ARCHIVE)
            media = {"file": MEDIA_ARCHIVE, "files": media_files}
        manifest = {
            "format": 1,
            "created_at": now.isoformat(),
            "database": {"vendor": connection.vendor, "file": database_file.name},
            "media": media,
            "counts": counts,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup in {folder}: {counts['articles']} articles, {counts['comments']} comments, "
                f"{counts['donations']} donations, "
                + (f"{media_files} media files." if media["file"] else "no media (left to the bucket).")
            )
        )
