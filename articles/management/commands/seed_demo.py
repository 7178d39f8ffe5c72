from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles import demo_content
from articles.factories import (
    make_article,
    make_author,
    make_image,
    make_page,
    make_section,
    media_host,
    picture_description,
)
from articles.models import Article, Author, Comment, CorrectionRequest
from core.commands import require_migrated_database
from core.planner import refresh_statistics


class Command(BaseCommand):
    help = "Create the demo sections, authors, pages and articles. Safe to run again."

    def handle(self, *args, **options):
        require_migrated_database()
        with transaction.atomic():
            created = seed(now=timezone.now())
        if created:
            refresh_statistics()  # a bulk load, like an import: the planner sees the new rows
            self.stdout.write(self.style.SUCCESS(f"Demo content: {created} articles created."))
        else:
            self.stdout.write("Demo content already present.")


def seed(now):
    sections = {}
    for position, data in enumerate(demo_content.SECTIONS):
        sections[data["slug"]] = make_section(position=position, **data)
    authors = {data["slug"]: demo_author(number, data) for number, data in enumerate(demo_content.AUTHORS)}
    for position, data in enumerate(demo_content.pages(media_host())):
        make_page(position=position, **data)

    created = []
    for seed_number, data in enumerate(demo_content.ARTICLES):
        if Article.objects.filter(slug=data["slug"]).exists():
            continue
        image = None
        if data["image"]:
            image = make_image(
                alt_text=demo_alt_text(seed_number, data["image"]["scene"], data["image"]["subject"]),
                caption=data["image"]["caption"],
                credit=data["image"]["credit"],
                seed=seed_number,
                scene=data["image"]["scene"],
            )
        make_article(
            data["headline"],
            slug=data["slug"],
            section=sections[data["section"]],
            authors=[authors[slug] for slug in data["authors"]],
            tags=data["tags"],
            action_links=data["action_links"],
            standfirst=data["standfirst"],
            body=data["body"],
            featured_image=image,
            status=data["status"],
            published_at=now - timedelta(hours=data["hours_ago"]) if data["status"] == "published" else None,
            comments=data["comments"],
            placement=data["placement"],
        )
        created.append(data["slug"])
    seed_comments(now, created)
    seed_reports(now, created)
    return len(created)


def demo_alt_text(seed_number, scene, subject):
    """Say what the generated illustration shows (its scene and sky), then what it illustrates."""
    return f"{picture_description(seed_number, scene)}, illustrating {subject}"


# Portraits get seeds of their own, clear of the stories' (0, 1, 2...), so they never repeat one.
PORTRAIT_SEEDS = 500


def demo_author(number, data):
    """A demo writer with an illustrated head-and-shoulders portrait for their author page.

    The portrait is made only with the author, so seeding again adds no orphaned pictures.
    """
    author = Author.objects.filter(slug=data["slug"]).first()
    if author is not None:
        return author
    photo = make_image(
        alt_text=f"Illustrated portrait of {data['name']}",
        credit="Canary staff",
        seed=PORTRAIT_SEEDS + number,
        scene="portrait",
        width=600,
        height=600,
    )
    return make_author(photo=photo, **data)


def seed_comments(now, slugs):
    """The demo comments of the articles created in this run only: the others have theirs."""
    made = []
    for data in demo_content.COMMENTS:
        if data["article"] not in slugs:
            made.append(None)
            continue
        article = Article.objects.get(slug=data["article"])
        parent = made[data["reply_to"]] if data["reply_to"] is not None else None
        made.append(
            Comment.objects.create(
                article=article,
                parent=parent,
                name=data["name"],
                email=data["email"],
                body=data["body"],
                # A few wait for a moderator, so the queue is never empty on a first run.
                status=data.get("status", Comment.Status.APPROVED),
                created_at=article.published_at + timedelta(hours=data["hours_after"]),
            )
        )


# One reader's report of a mistake, so an editor's desk shows what one looks like on a first run.
DEMO_REPORT = {
    "article": "eastfold-library-sale-approved",
    "text": "The headline calls it a 3,000-name petition, but the campaign counted 3,214 names when it "
    "was handed in, and the council's own receipt says the same.",
    "hours_after": 2,
}


def seed_reports(now, slugs):
    if DEMO_REPORT["article"] not in slugs:
        return
    article = Article.objects.get(slug=DEMO_REPORT["article"])
    CorrectionRequest.objects.create(
        article=article,
        text=DEMO_REPORT["text"],
        received_at=min(now, article.published_at + timedelta(hours=DEMO_REPORT["hours_after"])),
    )
