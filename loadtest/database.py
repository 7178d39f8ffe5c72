"""The scratch database of a run (make loadtest, make cluster): its name, making and dropping it,
seeding it through manage.py, and looking in it afterwards for every acknowledged write."""

import secrets
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from traffic import COMMENT_PREFIX, DONOR_DOMAIN

BASE_DIR = Path(__file__).resolve().parent.parent


def scratch_name(kind):
    """A name of the run's own: two runs side by side, or a run and a developer's database, never share one."""
    return f"canary_{kind}_{time.strftime('%Y%m%d%H%M%S', time.gmtime())}_{secrets.token_hex(3)}"


def manage(env, *args):
    result = subprocess.run(  # noqa: S603 - our own manage.py and arguments
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def shell(env, code):
    """Run `code` in manage.py shell; the last line it printed."""
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]


SEED_QUERY = """
import json
from articles.models import Article, Author, Page, Section
from taggit.models import Tag
Article.objects.update(comments="open")
articles = list(Article.objects.published())
print(json.dumps({
    "articles": [a.get_absolute_url() for a in articles],
    "commentable": [a.pk for a in articles],
    "lists": ["/", "/latest/", "/search/?q=council", "/search/?q=rent+strike", "/feed/", "/support/",
              *[s.get_absolute_url() for s in Section.objects.all()],
              *[a.get_absolute_url() for a in Author.objects.all()],
              *[p.get_absolute_url() for p in Page.objects.all()],
              *[f"/tag/{t.slug}/" for t in Tag.objects.all()[:10]]],
}))
"""


def admin_connection(url):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=parts.path.lstrip("/") or "postgres",
        autocommit=True,
        connect_timeout=5,
    )


def database_connection(url, name):
    return admin_connection(urlsplit(url)._replace(path=f"/{name}").geturl())


def create_database(url, name):
    with admin_connection(url) as db:
        db.execute(f'CREATE DATABASE "{name}"')


def drop_database(url, name):
    with admin_connection(url) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def verify(url, name, load):
    """Every acknowledged write in the database exactly once; nothing of ours duplicated."""
    with database_connection(url, name) as db:
        comments = Counter(
            body
            for (body,) in db.execute(
                "SELECT body FROM articles_comment WHERE body LIKE %s", [f"{COMMENT_PREFIX} %"]
            )
        )
        paid = Counter(
            email
            for (email,) in db.execute(
                "SELECT s.email FROM supporters_donation d "
                "JOIN supporters_supporter s ON s.id = d.supporter_id "
                "WHERE s.email LIKE %s AND d.status = 'paid'",
                [f"%@{DONOR_DOMAIN}"],
            )
        )
        donations = Counter(
            email
            for (email,) in db.execute(
                "SELECT s.email FROM supporters_donation d "
                "JOIN supporters_supporter s ON s.id = d.supporter_id "
                "WHERE s.email LIKE %s",
                [f"%@{DONOR_DOMAIN}"],
            )
        )
        # A paid gift owes its giver a receipt: an outbox row with a delivery task of its own.
        receipts_missing = db.execute(
            "SELECT COUNT(*) FROM supporters_donation d "
            "JOIN supporters_supporter s ON s.id = d.supporter_id "
            "WHERE s.email LIKE %s AND d.status = 'paid' AND NOT EXISTS ("
            "  SELECT 1 FROM mailroom_email e JOIN django_tasks_database_dbtaskresult t"
            "  ON (t.args_kwargs -> 'args' ->> 0)::bigint = e.id"
            "  WHERE e.template = 'supporters/receipt' AND e.params ->> 'donation' = d.id::text)",
            [f"%@{DONOR_DOMAIN}"],
        ).fetchone()[0]
        # Each commenter here writes from an address of its own: each stored comment owes one
        # confirmation email, queued with a delivery task in the comment's own transaction.
        confirmations_missing = db.execute(
            "SELECT COUNT(*) FROM articles_comment c WHERE c.body LIKE %s AND NOT EXISTS ("
            "  SELECT 1 FROM mailroom_email e JOIN django_tasks_database_dbtaskresult t"
            "  ON (t.args_kwargs -> 'args' ->> 0)::bigint = e.id"
            "  WHERE e.template = 'articles/comment_confirmation' AND e.params ->> 'comment' = c.id::text)",
            [f"{COMMENT_PREFIX} %"],
        ).fetchone()[0]
    return {
        "comments acknowledged": len(load.acknowledged_comments),
        "comments lost": sum(1 for text in load.acknowledged_comments if comments[text] == 0),
        "comments duplicated": sum(1 for count in comments.values() if count > 1),
        "donations acknowledged": len(load.acknowledged_donations),
        "donations lost": sum(1 for email in load.acknowledged_donations if paid[email] == 0),
        "donations duplicated": sum(1 for count in donations.values() if count > 1),
        "receipts lost": receipts_missing,
        "confirmations lost": confirmations_missing,
        "comments stored in all": sum(comments.values()),
        "donations paid in all": sum(paid.values()),
    }
