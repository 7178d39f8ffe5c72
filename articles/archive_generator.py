"""A large archive in seconds: generated stories for the benchmark and for query-bound tests.

Everything goes in with bulk_create in batches (no save(), no signals): slugs are computed
here, the body is clean HTML already, and the search index must be rebuilt afterwards
(``manage.py rebuild_search_index``). A handful of small generated pictures, with their
renditions, are shared by every article. Stories go in oldest first, as an archive grows.
"""

import random
import time
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from core.planner import refresh_statistics

from . import demo_content
from .factories import make_page, media_host, picture_bytes
from .models import ActionLink, Article, ArticleTag, Author, Comment, Image, Section
from .tasks import make_renditions

BATCH = 2000
IMAGES = 6
AUTO_AFTER = 2 * 24 * 40  # stories published every 30 minutes: 40 days back
SECTIONS = ["News", "Opinion", "Environment", "Culture", "Work", "Housing", "Transport", "Health"]
FIRST = ["Nia", "Tomasz", "Aisha", "Rhys", "Mei", "Callum", "Priya", "Owen", "Zofia", "Kwame", "Ines", "Dara"]
LAST = ["Okafor", "Wrenfield", "Bashir", "Morgan", "Lin", "Fraser", "Nair", "Price", "Nowak", "Mensah"]
WORDS = [
    "council", "housing", "rent", "tenants", "strike", "union", "workers", "wages", "hospital", "nurses",
    "climate", "flood", "river", "estuary", "energy", "bills", "transport", "buses", "fares", "trains",
    "cuts", "budget", "school", "teachers", "library", "park", "community", "festival", "theatre",
    "music", "radio", "market", "dock", "harbour", "port", "factory", "warehouse", "delivery", "drivers",
    "couriers", "landlord", "eviction", "repair", "damp", "mould", "petition", "campaign", "vote",
    "election", "councillor", "mayor", "minister", "government", "inquiry", "report", "data", "report",
    "plan", "scheme", "project", "funding", "grant", "charity", "volunteers", "food", "bank", "poverty",
    "inflation", "prices", "jobs", "contract", "care", "home", "pensioners", "students", "university",
    "college", "apprentices", "youth", "police", "court", "judge", "ruling", "appeal", "protest",
    "march", "picket", "ballot", "pay", "offer", "talks", "agreement", "deal", "pollution", "air",
    "quality", "cycling", "lanes", "road", "bridge", "tunnel", "ferry", "stadium", "club", "league",
    "season", "history", "archive", "museum", "gallery", "artist", "writer", "poet", "film", "cinema",
    "book", "shop", "pub", "cafe", "street", "square", "estate", "tower", "block", "neighbours",
    "residents", "families", "children", "parents", "water", "sewage", "beach", "wildlife", "trees",
    "green", "space",
]  # fmt: skip
CONNECTORS = [
    "the", "a", "of", "in", "on", "for", "with", "after", "before", "as", "and", "but", "while", "over",
    "under", "against", "across",
]  # fmt: skip


def sentence(rng, low=8, high=20):
    words = [rng.choice(WORDS if rng.random() < 0.7 else CONNECTORS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph_pool(rng, size=300):
    return [" ".join(sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(size)]


def headline(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10))).capitalize()


def make_images():
    images = []
    for seed in range(IMAGES):
        image = Image(alt_text=f"A generated picture, number {seed + 1}", caption="Pictured", credit="Canary")
        data = picture_bytes(width=800, height=500, seed=seed)
        image.store_upload(SimpleUploadedFile(f"bench-{seed}.jpg", data, "image/jpeg"))
        image.save()
        images.append(image)
    # Renditions now, in this process: no background worker runs during a benchmark.
    for image in images:
        make_renditions.call(image.pk)
    return images


def generate(count, seed=8, log=print):
    rng = random.Random(seed)
    started = time.monotonic()
    now = timezone.now()
    sections = Section.objects.bulk_create(
        [Section(name=name, slug=slugify(name), position=i) for i, name in enumerate(SECTIONS)]
    )
    authors = Author.objects.bulk_create(
        [
            Author(name=f"{first} {last}", slug=slugify(f"{first} {last}"), bio=sentence(rng, 20, 40))
            for first in FIRST
            for last in LAST[:4]
        ]
    )
    pairs = zip(rng.choices(WORDS, k=400), rng.choices(WORDS, k=400), strict=True)
    tag_names = sorted({f"{a} {b}" for a, b in pairs})[:300]
    tags = Tag.objects.bulk_create([Tag(name=name, slug=slugify(name)) for name in tag_names])
    for position, page in enumerate(demo_content.pages(media_host())):
        make_page(position=position, **page)
    images = make_images()
    paragraphs = paragraph_pool(rng)
    through = Article.authors.through
    # A few popular tags carry most stories, as on a real site.
    tag_weights = [1 / (rank + 1) for rank in range(len(tags))]

    made = comments_made = 0
    for start in range(0, count, BATCH):
        batch = []
        for index in range(start, min(count, start + BATCH)):
            # Oldest first, as a real archive grows: ids rise with publication time.
            number = count - 1 - index
            title = headline(rng)
            status = Article.Status.DRAFT if number % 97 == 50 else Article.Status.PUBLISHED
            published = now - timedelta(minutes=30 * number + 5)
            placement = "lead" if number == 0 else "top" if number in (3, 5, 8) else ""
            batch.append(
                Article(
                    headline=title,
                    slug=f"{slugify(title)[:150]}-{number}",
                    standfirst=sentence(rng, 15, 30),
                    body="".join(f"<p>{p}</p>" for p in rng.sample(paragraphs, rng.randint(5, 9))),
                    section=sections[number % len(sections)],
                    featured_image=images[number % len(images)] if number % 5 else None,
                    status=status,
                    published_at=published if status == Article.Status.PUBLISHED else None,
                    placement=placement,
                    # Automatic comments only where they have closed already: a story whose
                    # comments close mid-run would expire every cached page at that moment.
                    comments=Article.Comments.AUTO if number > AUTO_AFTER else Article.Comments.OPEN,
                )
            )
        with transaction.atomic():
            articles = Article.objects.bulk_create(batch)
            bylines, taggings, links, comments = [], [], [], []
            for article in articles:
                for author in rng.sample(authors, rng.choice((1, 1, 1, 2))):
                    bylines.append(through(article_id=article.pk, author_id=author.pk))
                chosen = {t.pk: t for t in rng.choices(tags, weights=tag_weights, k=rng.randint(2, 5))}
                for tag in chosen.values():
                    taggings.append(ArticleTag(tag=tag, content_object_id=article.pk))
                if article.pk % 4 == 0:
                    links.append(
                        ActionLink(article=article, label="Sign the petition", url="https://canary.example/")
                    )
                for n in range(rng.choice((0, 0, 1, 2, 3, 4, 6))):
                    comments.append(
                        Comment(
                            article=article,
                            name=rng.choice(FIRST),
                            email=f"reader{rng.randint(1, 5000)}@canary.example",
                            body=" ".join(sentence(rng) for _ in range(rng.randint(1, 3))),
                            status=Comment.Status.APPROVED if n % 7 else Comment.Status.PENDING,
                            created_at=(article.published_at or now) + timedelta(minutes=10 * (n + 1)),
                        )
                    )
            through.objects.bulk_create(bylines, batch_size=BATCH)
            ArticleTag.objects.bulk_create(taggings, batch_size=BATCH)
            ActionLink.objects.bulk_create(links, batch_size=BATCH)
            Comment.objects.bulk_create(comments, batch_size=BATCH)
            # One reply per commented article, to the first comment: threads one level deep.
            replies = [
                Comment(
                    article_id=first.article_id,
                    parent=first,
                    name="Dara",
                    email="dara@canary.example",
                    body="Thanks, that is a fair point.",
                    status=Comment.Status.APPROVED,
                    created_at=first.created_at + timedelta(minutes=5),
                )
                for first in {c.article_id: c for c in reversed(comments) if c.status == "approved"}.values()
            ]
            Comment.objects.bulk_create(replies, batch_size=BATCH)
        made += len(articles)
        comments_made += len(comments) + len(replies)
        log(f"  {made} articles, {comments_made} comments ({time.monotonic() - started:.1f} s)")
    # Fresh statistics for the query planner, as a database that has been running a while has.
    refresh_statistics()
    return made, comments_made
