"""The demo content is hand-edited JSON (articles/demo/): catch a broken reference before seed_demo does."""

from articles import demo_content


def test_every_demo_article_names_a_section_and_authors_that_exist():
    sections = {row["slug"] for row in demo_content.SECTIONS}
    authors = {row["slug"] for row in demo_content.AUTHORS}
    for article in demo_content.ARTICLES:
        assert article["section"] in sections, article["slug"]
        assert set(article["authors"]) <= authors, article["slug"]
        assert article["body"].startswith("<") and article["body"].endswith(">"), article["slug"]


def test_every_demo_comment_belongs_to_a_demo_article_and_answers_an_earlier_comment():
    slugs = {row["slug"] for row in demo_content.ARTICLES}
    for index, comment in enumerate(demo_content.COMMENTS):
        assert comment["article"] in slugs
        reply_to = comment["reply_to"]
        if reply_to is not None:
            assert 0 <= reply_to < index
            assert demo_content.COMMENTS[reply_to]["article"] == comment["article"]


def test_demo_data_names_no_domain_that_someone_else_could_own():
    """Every web address and email address in the demo is on a reserved name (.example, .test)
    or the site's own paths: a click on a demo link never reaches a stranger's server."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [
        *sorted((root / "articles" / "demo").glob("*.json")),
        root / "newsletters" / "demo.py",
        root / "articles" / "archive_generator.py",
        root / "articles" / "wordpress" / "sample.py",
        root / "canary" / "management" / "commands" / "demo_accounts.py",
    ]
    hosts = re.compile(r"(?:https?://|@)([a-z0-9.-]+\.[a-z]{2,})", re.I)
    foreign = {
        (path.name, host)
        for path in files
        # XML namespace names (the WordPress export's) are identifiers, never fetched.
        for host in hosts.findall(re.sub(r'xmlns(?::\w+)?="[^"]*"', "", path.read_text()))
        if not host.lower().endswith((".example", ".test", ".invalid"))
    }
    assert foreign == set()


def test_the_demo_leaves_a_few_comments_waiting_so_the_queue_is_never_empty_on_a_first_run():
    waiting = [row for row in demo_content.COMMENTS if row.get("status") == "pending"]
    assert 2 <= len(waiting) <= 5
    assert {row.get("status", "approved") for row in demo_content.COMMENTS} == {"approved", "pending"}
    published = {
        row["slug"]: row["hours_ago"] for row in demo_content.ARTICLES if row["status"] == "published"
    }
    for row in waiting:
        # On a story readers can see, written after it was published and before the seed runs.
        assert 0 < row["hours_after"] < published[row["article"]]
