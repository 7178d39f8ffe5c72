"""Large synthetic WordPress exports, for measuring the importer's speed and memory.

``write_sample_export(path, posts=20_000)`` writes a WXR file in the shape WordPress writes
(authors and terms first, attachments after the posts that use them) without holding it in
memory. With ``media_dir`` it also writes small pictures there, and every tenth post gets a
featured picture and one in its body, so a benchmark exercises the picture path too.
"""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = [
    "rent", "strike", "council", "tenants", "union", "depot", "drivers", "ballot", "meeting",
    "estate", "repairs", "housing", "members", "co-op", "river", "bridge", "budget", "hall",
    "campaign", "picket", "wages", "library", "allotment", "school", "bus", "night", "shift",
    "parents", "nurses", "cleaners", "park", "flood", "survey", "petition", "vote", "community",
]  # fmt: skip
AUTHORS = [("mara", "Mara Okafor"), ("jo", "Jo Lindqvist"), ("dev", "Dev Patel"), ("ines", "Inês Duarte")]
CATEGORIES = [("news", "News"), ("housing", "Housing"), ("work", "Work"), ("culture", "Culture")]
SITE = "https://sample.example.invalid"
START = datetime(2012, 1, 1, tzinfo=UTC)


def _cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _sentence(rng, words=12):
    chosen = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _body(rng, number, picture_url):
    paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(4)]
    if number % 2:  # the classic editor: blank lines between paragraphs
        if picture_url:
            paragraphs.insert(1, f'<img src="{picture_url}" alt="A picture" width="300" height="200" />')
        return "\n\n".join(paragraphs)
    blocks = [f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->" for text in paragraphs]
    if picture_url:
        blocks.insert(
            1, f'<!-- wp:image -->\n<figure class="wp-block-image"><img src="{picture_url}" alt=""/></figure>'
        )
    return "\n\n".join(blocks)


def _when(rng, number, posts):
    return START + timedelta(days=int(number * 3650 / max(posts, 1)), minutes=rng.randint(0, 1439))


def _stamp(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def write_sample_export(path, posts=1000, media_dir=None, seed=0):
    """Write a WXR file with `posts` posts (plus a few pages and menu items); returns its path."""
    rng = random.Random(seed)
    path = Path(path)
    pictures = []  # (attachment id, post id, relative path, moment)
    picture_data = None
    if media_dir:
        from ..factories import picture_bytes

        picture_data = picture_bytes(width=120, height=80, seed=seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel>\n<title>Sample export</title>\n"
            f"<link>{SITE}</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>{SITE}</wp:base_site_url>\n"
        )
        for login, name in AUTHORS:
            out.write(
                f"<wp:author><wp:author_login>{_cdata(login)}</wp:author_login>"
                f"<wp:author_display_name>{_cdata(name)}</wp:author_display_name></wp:author>\n"
            )
        for term_id, (slug, name) in enumerate(CATEGORIES, start=1):
            out.write(
                f"<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:category_parent></wp:category_parent><wp:cat_name>{_cdata(name)}</wp:cat_name></wp:category>\n"
            )
        for number in range(1, posts + 1):
            post_id = number
            moment = _when(rng, number, posts)
            picture_url = None
            meta = ""
            if media_dir and number % 10 == 0:
                attachment_id = posts + 1000 + number
                rel = f"{moment:%Y/%m}/sample-{number}.jpg"
                pictures.append((attachment_id, post_id, rel, moment))
                picture_url = f"{SITE}/wp-content/uploads/{rel}"
                meta = (
                    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                    f"<wp:meta_value>{attachment_id}</wp:meta_value></wp:postmeta>"
                )
            title = _sentence(rng, words=6)[:-1]
            slug = f"story-{number}"
            login = AUTHORS[number % len(AUTHORS)][0]
            category = CATEGORIES[number % len(CATEGORIES)]
            tags = "".join(
                f'<category domain="post_tag" nicename="{word}">{_cdata(word.title())}</category>'
                for word in sorted({rng.choice(WORDS) for _ in range(3)})
            )
            comments = []
            for index in range(rng.randint(0, 3)):
                comment_id = number * 10 + index
                parent = comment_id - 1 if index and rng.random() < 0.5 else 0
                comments.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{_cdata('Reader ' + str(comment_id))}</wp:comment_author>"
                    f"<wp:comment_author_email>reader{comment_id}@readers.canary.example</wp:comment_author_email>"
                    f"<wp:comment_date_gmt>{_stamp(moment + timedelta(hours=index + 1))}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{_cdata(_sentence(rng))}</wp:comment_content>"
                    f"<wp:comment_approved>{'1' if index < 2 else '0'}</wp:comment_approved>"
                    f"<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
                    "</wp:comment>"
                )
            out.write(
                f"<item><title>{escape(title)}</title><link>{SITE}/{moment:%Y/%m/%d}/{slug}/</link>"
                f"<dc:creator>{_cdata(login)}</dc:creator>"
                f"<content:encoded>{_cdata(_body(rng, number, picture_url))}</content:encoded>"
                f"<excerpt:encoded>{_cdata('')}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{_stamp(moment)}</wp:post_date>"
                f"<wp:post_date_gmt>{_stamp(moment)}</wp:post_date_gmt>"
                f"<wp:comment_status>{'open' if number % 3 else 'closed'}</wp:comment_status>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                f'<wp:post_type>post</wp:post_type><category domain="category" nicename="{category[0]}">'
                f"{_cdata(category[1])}</category>{tags}{meta}{''.join(comments)}</item>\n"
            )
        for number in range(1, posts // 500 + 2):
            page_id = posts + number
            out.write(
                f"<item><title>Page {number}</title><link>{SITE}/page-{number}/</link>"
                f"<content:encoded>{_cdata(_sentence(rng))}</content:encoded>"
                f"<wp:post_id>{page_id}</wp:post_id><wp:post_date_gmt>{_stamp(START)}</wp:post_date_gmt>"
                f"<wp:post_name>page-{number}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>page</wp:post_type></item>\n"
                f"<item><title>Menu {number}</title><wp:post_id>{page_id + posts}</wp:post_id>"
                "<wp:status>publish</wp:status><wp:post_type>nav_menu_item</wp:post_type></item>\n"
            )
        # Attachments come last, after the posts that use them, as WordPress often writes them.
        for attachment_id, post_id, rel, moment in pictures:
            out.write(
                f"<item><title>sample-{post_id}</title><wp:post_id>{attachment_id}</wp:post_id>"
                f"<wp:post_date_gmt>{_stamp(moment)}</wp:post_date_gmt><wp:status>inherit</wp:status>"
                f"<wp:post_parent>{post_id}</wp:post_parent><wp:post_type>attachment</wp:post_type>"
                f"<wp:attachment_url>{SITE}/wp-content/uploads/{rel}</wp:attachment_url>"
                f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{rel}</wp:meta_value>"
                "</wp:postmeta></item>\n"
            )
            target = Path(media_dir) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(picture_data)
        out.write("</channel>\n</rss>\n")
    return path
