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
