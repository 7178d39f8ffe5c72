"""The f-string pieces (articles/story_parts.py) and the Jinja macros
(templates/jinja2/includes/story_parts.html) write the same bytes (PYTHON_STORY_PARTS).

Each piece runs both ways on varied stories and threads: hostile text in every field a person
types, no byline and three, pictures with and without their renditions, every teaser option,
replies, picks, open and closed threads, and times either side of a London midnight.
"""

import itertools
from datetime import UTC, datetime

import pytest
from django.template import engines
from django.test import override_settings

from articles import article_page, story_parts
from articles.commenting import thread
from articles.factories import make_article, make_author, make_image, make_section
from articles.models import Article, Comment
from articles.models.article import attach_bylines
from canary.templating import environment

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"quoted\" O'Brien's <b>bold</b> café 🐤"


@pytest.fixture
def macros():
    return engines["jinja2"].env.get_template("includes/story_parts.html").module


@pytest.fixture
def pictures():
    bare = make_image(alt_text=HOSTILE)
    made = make_image(alt_text='A "march" & <rally>')
    made.renditions = {
        # Storage names with characters an address must not carry raw.
        "webp": [[480, "r/a-480.webp?x=1&y='2'"], [960, "r/a-960.webp"]],
        "fallback": [[480, "r/a-480.jpg"], [960, 'r/a-"960".jpg']],
        "social": "r/a-social.jpg",
    }
    made.save()
    return bare, made


@pytest.fixture
def stories(pictures):
    bare, made = pictures
    hostile_section = make_section(HOSTILE, slug="hostile")
    plain_section = make_section("News")
    authors = [make_author(name) for name in ("Ana & <Co>", 'Ben "B" O\'Neil', "Cy")]
    # London is an hour ahead in June: 23:30 UTC is the next day there.
    moments = [datetime(2026, 6, 1, 23, 30, 5, 123456, tzinfo=UTC), datetime(2026, 1, 31, 0, 0, tzinfo=UTC)]
    made_stories = []
    for number, (author_count, image, moment) in enumerate(
        itertools.product(range(4), (None, bare, made), moments)
    ):
        made_stories.append(
            make_article(
                f"{HOSTILE} {number}" if number % 2 else f"Plain story {number}",
                section=hostile_section if number % 3 else plain_section,
                authors=authors[:author_count],
                featured_image=image,
                published_at=moment,
                standfirst=HOSTILE if number % 2 else "",
            )
        )
    found = Article.objects.filter(pk__in=[s.pk for s in made_stories]).select_related(
        "section", "featured_image"
    )
    return attach_bylines(found.order_by("pk"))


TEASER_OPTIONS = [
    {},
    {"level": 2, "size": "lead", "show_image": True, "show_standfirst": True, "show_section": True},
    {"level": "4", "size": 'x" onmouseover="y', "show_image": True, "lazy": True, "image_sizes": HOSTILE},
    {"size": "compact", "show_section": True, "show_image": True},
    {"size": "row", "show_standfirst": True, "lazy": True, "image_sizes": "(min-width: 700px) 240px, 100vw"},
]


@pytest.mark.parametrize("options", TEASER_OPTIONS)
def test_teasers_are_the_same_both_ways(macros, stories, options):
    for story in stories:
        assert str(macros.teaser(story, **options)) == str(story_parts.teaser(story, **options))


def test_hostile_text_is_escaped_in_a_teaser(macros, stories):
    story = next(s for s in stories if s.standfirst and s.byline)
    html = str(macros.teaser(story, show_standfirst=True, show_section=True))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in html
    assert "Ana &amp; &lt;Co&gt;" in html


@pytest.mark.parametrize("sizes", ["120px", "(min-width: 1000px) 820px, 100vw", HOSTILE])
@pytest.mark.parametrize("lazy", [False, True])
def test_pictures_are_the_same_both_ways(macros, pictures, sizes, lazy):
    for image in pictures:
        assert str(macros.picture(image, sizes, lazy)) == str(story_parts.picture(image, sizes, lazy))
    assert 'srcset="/media/r/a-480.webp%3Fx%3D1%26y%3D&#39;2&#39; 480w' in str(
        macros.picture(pictures[1], sizes)
    )
    assert 'src="/media/r/a-%2522960%2522.jpg"' not in str(macros.picture(pictures[1], sizes))
    assert 'src="/media/r/a-%22960%22.jpg"' in str(macros.picture(pictures[1], sizes))


BODIES = [
    HOSTILE,
    "Two lines\nand a link: https://example.org/a?b=1&c=<2>",
    "Write to me at someone@example.com or see www.example.net",
    'javascript:alert(1) <a href="javascript:alert(1)">click</a>',
    "",
]


@pytest.fixture
def threads(stories):
    """Every comment of three stories as each page shows it: open, closed, and with no replies."""
    open_story, closed_story, quiet_story = stories[0], stories[1], stories[2]
    Article.objects.filter(pk=open_story.pk).update(comments=Article.Comments.OPEN)
    Article.objects.filter(pk__in=[closed_story.pk, quiet_story.pk]).update(comments=Article.Comments.CLOSED)
    moments = [datetime(2026, 6, 1, 23, 30, 59, tzinfo=UTC), datetime(2026, 12, 3, 9, 5, tzinfo=UTC)]
    for story in (open_story, closed_story):
        for number, body in enumerate(BODIES):
            top = Comment.objects.create(
                article=story,
                name=HOSTILE if number % 2 else f"Reader {number}",
                email=f"reader{number}@example.com",
                body=body,
                status=Comment.Status.APPROVED,
                pinned=number == 1,
                created_at=moments[number % 2],
            )
            for reply_number in range(number % 3):
                Comment.objects.create(
                    article=story,
                    parent=top,
                    name=f"Replier {reply_number} & <i>co</i>",
                    email="replier@example.com",
                    body=BODIES[(number + reply_number + 1) % len(BODIES)],
                    status=Comment.Status.APPROVED,
                    created_at=moments[reply_number % 2],
                )
    Comment.objects.create(
        article=quiet_story,
        name="Alone",
        email="a@example.com",
        body="Just me.",
        status=Comment.Status.APPROVED,
    )
    shown = []
    for made in (open_story, closed_story, quiet_story):
        story = Article.objects.get(pk=made.pk)
        top, _count = thread(article_page.comments(story))
        shown.append((story, top))
    return shown


@pytest.mark.parametrize("zone", ["Europe/London", "UTC", "America/New_York"])
def test_comment_threads_are_the_same_both_ways(macros, threads, zone):
    with override_settings(TIME_ZONE=zone):
        for story, top in threads:
            assert str(macros.comment_list(top, story)) == str(story_parts.comment_list(top, story))


def test_hostile_text_is_escaped_in_a_thread(macros, threads):
    story, top = threads[0]
    html = str(macros.comment_list(top, story))
    assert "<script>" not in html and "<i>co</i>" not in html and 'href="javascript' not in html
    assert "Reply</a>" in html and 'class="comment comment--pick"' in html and "comment--reply" in html
    assert 'rel="nofollow ugc noopener">https://example.org/a?b=1&amp;c=' in html


@pytest.mark.parametrize("chosen", [[], ["teaser", "picture"], ["teaser", "picture", "comment_list"]])
def test_the_setting_chooses_each_piece(chosen):
    with override_settings(PYTHON_STORY_PARTS=chosen):
        env = environment(loader=engines["jinja2"].env.loader)
    for name in ("teaser", "picture", "comment_list"):
        python = env.globals[name] is getattr(story_parts, name)
        assert python == (name in chosen), name
