"""`make backup` and `make restore`: a backup restored into a fresh database has every article, comment
and donation, and its media. Runs against whichever database the suite runs on (SQLite or PostgreSQL).
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from articles.factories import make_article, make_image
from articles.models import Comment
from canary.bucket_storage import BucketStorage
from canary.media_storage import media_settings
from tests.supporters_helpers import give

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content():
    """Three articles (one with a picture), comments, and a donation paid through the dev checkout."""
    image = make_image(alt_text="Backed-up picture")
    articles = [
        make_article(f"Backed-up story {n}", comments="open", featured_image=image if n == 0 else None)
        for n in range(3)
    ]
    for n, article in enumerate(articles):
        Comment.objects.create(
            article=article, name=f"Reader {n}", email=f"r{n}@example.com", body=f"Backed-up comment {n}"
        )
    donation, _ = give(Client(), amount="12.50", frequency="one_off", email="giver@example.com", name="Giver")
    donation.refresh_from_db()
    assert donation.status == "paid"
    return {"articles": articles, "image": image, "donation": donation}


def manage(*args, env):
    drop = ("DATABASE_URL", "REDIS_URL", "VAR_DIR", "MEDIA_ROOT", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**base, "DJANGO_SETTINGS_MODULE": "canary.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )


def database_url(name):
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def fresh_database(tmp_path):
    """A new, empty database of the suite's kind, and how to read it; a PostgreSQL one is dropped after."""
    folder = tmp_path / "restored"
    folder.mkdir()
    env = {"VAR_DIR": str(folder), "MEDIA_ROOT": str(folder / "media")}
    if connection.vendor == "sqlite":

        def query(sql):
            with closing(sqlite3.connect(folder / "canary.sqlite3")) as db:
                return db.execute(sql).fetchall()

        yield env, query, folder
        return
    import psycopg

    name = f"canary_restore_{uuid.uuid4().hex[:10]}"
    db = connection.settings_dict
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    pg_env = {
        **os.environ,
        "PGHOST": str(params["host"]),
        "PGPORT": str(params["port"]),
        "PGUSER": params["user"],
    }
    if db.get("PASSWORD"):
        pg_env["PGPASSWORD"] = db["PASSWORD"]
    subprocess.run([shutil.which("createdb"), name], env=pg_env, check=True, capture_output=True)

    def query(sql):
        with psycopg.connect(dbname=name, **params) as db_connection:
            return db_connection.execute(sql).fetchall()

    try:
        yield {**env, "DATABASE_URL": database_url(name)}, query, folder
    finally:
        subprocess.run(
            [shutil.which("dropdb"), "--if-exists", "--force", name], env=pg_env, capture_output=True
        )


def test_backup_writes_the_database_media_and_a_manifest_to_a_dated_folder(
    media_storage, content, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    call_command("backup", verbosity=0)
    (folder,) = (tmp_path / "backups").iterdir()
    assert len(folder.name) == len("20250101T020000Z") and folder.name.endswith("Z")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["counts"] == {"articles": 3, "comments": 3, "donations": 1}
    assert manifest["database"]["vendor"] == connection.vendor
    assert (folder / manifest["database"]["file"]).stat().st_size > 0
    assert manifest["media"]["files"] >= 1 and (folder / "media.tar.gz").is_file()
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup", "--to", str(folder), verbosity=0)


def stored_bytes(env, name):
    """A file as the storage ``env`` names holds it: a bucket's folder, or a MEDIA_ROOT."""
    if "AWS_STORAGE_BUCKET_NAME" not in env:
        return (Path(env["MEDIA_ROOT"]) / name).read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        for variable, value in env.items():
            patch.setenv(variable, value)
        storage, _, _ = media_settings("/media/")
    with BucketStorage(**storage["OPTIONS"]).open(name) as data:
        return data.read()


def test_a_restored_backup_has_every_article_comment_donation_and_picture(
    media_storage, content, fresh_database, tmp_path
):
    folder = tmp_path / "backup"
    call_command("backup", "--to", str(folder), verbosity=0)
    # Written after the backup: must not be in the restored copy.
    make_article("Written after the backup")
    env, query, restored = fresh_database
    if "AWS_STORAGE_BUCKET_NAME" in media_storage:
        # A new bucket (here a folder of its own in the test server's bucket) for the new site.
        env = {**env, **media_storage, "AWS_LOCATION": f"{media_storage['AWS_LOCATION']}-restored"}

    result = manage("restore", str(folder), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restored" in result.stdout and "3 articles, 3 comments, 1 donations" in result.stdout

    headlines = {row[0] for row in query("SELECT headline FROM articles_article")}
    assert headlines == {f"Backed-up story {n}" for n in range(3)}
    bodies = {row[0] for row in query("SELECT body FROM articles_comment")}
    assert bodies == {f"Backed-up comment {n}" for n in range(3)}
    donations = query(
        "SELECT d.amount_pence, d.status, s.email FROM supporters_donation d "
        "JOIN supporters_supporter s ON s.id = d.supporter_id"
    )
    assert donations == [(1250, "paid", "giver@example.com")]
    image = content["image"]
    with image.file.storage.open(image.file.name) as original:
        assert stored_bytes(env, image.file.name) == original.read()

    # A database with articles is never overwritten by mistake...
    again = manage("restore", str(folder), env=env)
    assert again.returncode != 0
    assert "already holds 3 articles" in again.stderr and "FORCE=1" in again.stderr
    # ...only on purpose.
    forced = manage("restore", str(folder), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert len(query("SELECT id FROM articles_article")) == 3


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="is not a backup"):
        call_command("restore", str(tmp_path))


def test_restore_refuses_a_database_holding_accounts_or_money_even_without_articles(fresh_database, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", "--to", str(folder), verbosity=0)
    env, query, _ = fresh_database
    assert manage("migrate", "--noinput", env=env).returncode == 0
    made = manage("createsuperuser", "--noinput", "--username", "boss", "--email", "b@example.com", env=env)
    assert made.returncode == 0, made.stderr
    refused = manage("restore", str(folder), env=env)
    assert refused.returncode != 0
    assert "already holds 1 accounts" in refused.stderr
    assert query("SELECT username FROM auth_user") == [("boss",)]


def test_a_damaged_backup_is_refused_before_anything_is_replaced(content, fresh_database, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", "--to", str(folder), verbosity=0)
    env, query, _ = fresh_database
    assert manage("restore", str(folder), env=env).returncode == 0
    manifest = json.loads((folder / "manifest.json").read_text())
    media = folder / manifest["media"]["file"]
    whole = media.read_bytes()
    media.write_bytes(whole[: len(whole) // 2])
    refused = manage("restore", str(folder), "--force", env=env)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "media archive is damaged" in refused.stderr and "nothing was changed" in refused.stderr
    media.write_bytes(whole)
    if connection.vendor == "sqlite":
        (folder / manifest["database"]["file"]).write_bytes(b"")
        refused = manage("restore", str(folder), "--force", env=env)
        assert refused.returncode != 0 and "Traceback" not in refused.stderr
        assert "nothing was changed" in refused.stderr
    assert len(query("SELECT id FROM articles_article")) == 3  # the earlier restore, untouched


def test_a_manifest_without_what_a_backup_writes_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="lacks what a backup writes"):
        call_command("restore", str(tmp_path))


def test_backup_to_a_file_or_an_impossible_place_says_so(tmp_path):
    existing = tmp_path / "notes.txt"
    existing.write_text("x")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        call_command("backup", "--to", str(existing))
    with pytest.raises(CommandError, match="Cannot make the folder"):
        call_command("backup", "--to", str(existing / "inside"))


def test_a_backup_without_media_restores_and_leaves_the_buckets_files_alone(
    media_storage, content, fresh_database, tmp_path
):
    """The provider keeps the bucket's copies (versioning, replication): the backup holds the
    database only, and a restore brings it back without touching or needing the media."""
    folder = tmp_path / "backup"
    call_command("backup", "--to", str(folder), "--without-media", verbosity=0)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["media"] == {"file": None, "files": 0}
    assert not (folder / "media.tar.gz").exists()
    env, query, _ = fresh_database
    result = manage("restore", str(folder), env={**env, **media_storage})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 media files" in result.stdout
    image = content["image"]
    assert query("SELECT file FROM articles_image") == [(image.file.name,)]
    assert image.file.storage.exists(image.file.name)  # still there, for the restored site to show


def test_a_media_archive_reaching_outside_the_storage_is_refused_before_anything_changes(
    fresh_database, tmp_path
):
    folder = tmp_path / "backup"
    call_command("backup", "--to", str(folder), verbosity=0)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        info = tarfile.TarInfo("media/../../outside.txt")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"evil"))
    env, query, restored = fresh_database
    refused = manage("restore", str(folder), env=env)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "media archive is damaged" in refused.stderr and "nothing was changed" in refused.stderr
    assert not (restored / "outside.txt").exists() and not (tmp_path / "outside.txt").exists()
