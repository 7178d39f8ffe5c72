"""Properties that hold for any input (Hypothesis): the sanitizer, amounts of money, comment text,
and the reader pages whose address or query a stranger writes (search, sitemaps, month archives)."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.conf import settings as django_settings
from django.utils.html import urlize
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.factories import make_article
from articles.sanitize import clean_html
from articles.story_parts import comment_text
from supporters.forms import money, parse_pounds

# Bounded, no deadline (the first call builds the sanitizer), and no example database left behind.
bounded = hypothesis_settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


# --- The sanitizer ----------------------------------------------------------------------------------

TAGS = [
    "p", "a", "img", "script", "style", "iframe", "svg", "math", "object", "embed", "form", "input",
    "textarea", "figure", "figcaption", "blockquote", "ol", "li", "b", "noscript", "template", "title",
    "xmp", "base", "meta", "link", "select", "option", "table", "math", "annotation-xml", "use",
]  # fmt: skip
ATTRIBUTES = [
    "href", "src", "onclick", "onerror", "onload", "OnMouseOver", "style", "class", "srcset", "formaction",
    "xlink:href", "data-x", "alt", "title", "start", "type", "width", "action", "background", "poster",
]  # fmt: skip
VALUES = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java&#x09;script:alert(1)", "&#106;avascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<b>",
    "/media/images/ok.jpg", "/media//evil.example/x.jpg", "//evil.example/x.jpg",
    "https://evil.example/x.jpg",
    "/media/../admin/", "x\" onerror=\"alert(1)", "' onload='alert(1)", "1", "figure", "alert(1)", "",
    "\x00javascript:alert(1)", "https://ok.example/", "mailto:a@example.org",
]  # fmt: skip


TEXT_PIECES = ["text", "<", ">", "&", '"', "'", "=", "</", "<!--", "-->", " "]


@st.composite
def html_fragments(draw, depth=0):
    """HTML built from a small grammar of good and bad tags, attributes and values, nested a little."""
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        choice = draw(st.integers(0, 3)) if depth < 3 else 0
        if choice == 0:
            parts.append(draw(st.sampled_from(TEXT_PIECES)))
            continue
        tag = draw(st.sampled_from(TAGS))
        attributes = "".join(
            f" {name}={quote}{value}{quote}"
            for name, value, quote in draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES), st.sampled_from(['"', "'", ""])
                    ),
                    max_size=3,
                )
            )
        )
        inner = draw(html_fragments(depth=depth + 1))
        closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}"]))
        parts.append(f"<{tag}{attributes}>{inner}{closing}")
    return "".join(parts)


FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta"}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "background", "poster"}


class Elements(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, [(name, value or "") for name, value in attrs]))

    handle_startendtag = handle_starttag


def assert_safe(html):
    assert "<script" not in html.lower()
    for tag, attributes in Elements(html).found:
        assert tag not in FORBIDDEN_TAGS
        for name, value in attributes:
            assert not name.lower().startswith("on"), (tag, name)
            assert name != "style"
            if name in URL_ATTRIBUTES:
                # What a browser would make of the value: tabs and newlines inside are dropped, case ignored.
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not squeezed.startswith(("javascript:", "vbscript:", "data:")), (tag, name, value)
            if tag == "img" and name == "src":
                assert value.startswith(django_settings.MEDIA_URL) and "//" not in value, value


@bounded
@given(st.text(max_size=300))
@example("<scr<script>ipt>alert(1)</script>")
@example('<img src="/media/x.jpg" onerror="alert(1)">')
def test_clean_html_of_any_text_is_safe_and_stable(text):
    cleaned = clean_html(text)
    assert_safe(cleaned)
    assert clean_html(cleaned) == cleaned


@bounded
@given(html_fragments())
@example('<a href="java&#x09;script:alert(1)">x</a>')
@example('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>')
@example("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>")
@example('<noscript><p title="</noscript><img src=x onerror=alert(1)>">')
@example("<figure><figure><img src=https://elsewhere.example/x.jpg></figure></figure>")
def test_clean_html_of_hostile_markup_is_safe_and_stable(html):
    cleaned = clean_html(html)
    assert_safe(cleaned)
    assert clean_html(cleaned) == cleaned


def test_clean_html_keeps_what_the_editor_writes():
    body = (
        '<p>A <a href="https://ok.example/" title="t">link</a>, <strong>bold</strong>, <em>it</em>.</p>'
        '<figure class="figure"><img src="/media/images/a.jpg" alt="A"><figcaption class="figure-caption">'
        'Caption</figcaption></figure><ol start="3" type="a"><li>one</li></ol><hr>'
    )
    cleaned = clean_html(body)
    for kept in ('href="https://ok.example/"', 'src="/media/images/a.jpg"', 'class="figure"', 'start="3"'):
        assert kept in cleaned


# --- Amounts ----------------------------------------------------------------------------------------


def as_typed(pence, style):
    pounds, rest = divmod(pence, 100)
    if style == "plain":
        return f"{pounds}.{rest:02d}" if rest else str(pounds)
    if style == "pound sign":
        return f"£{pounds}.{rest:02d}"
    if style == "commas":
        return f"{pounds:,}.{rest:02d}"
    return money(pence)  # the way Canary itself writes it


@bounded
@given(
    st.integers(min_value=0, max_value=10**12), st.sampled_from(["plain", "pound sign", "commas", "money"])
)
def test_any_amount_written_in_pounds_reads_back_as_the_same_pence(pence, style):
    assert parse_pounds(as_typed(pence, style)) == pence


amount_like = st.text(alphabet="0123456789.,£-+eE _x²٣\x00\t", max_size=40)


@bounded
@given(st.one_of(st.text(max_size=60), amount_like, st.from_regex(r"\A\s*£?\s*\d{1,40}(\.\d{0,4})?\s*\Z")))
@example("9" * 400)
@example("1e400")
@example("99999999999999999999")
@example("NaN")
def test_any_text_is_pence_or_a_clear_refusal_never_a_crash(text):
    try:
        pence = parse_pounds(text)
    except forms.ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)
        return
    assert isinstance(pence, int) and pence >= 0
    money(pence)  # and it can be shown back to the reader


@pytest.mark.parametrize("text", ["9" * 400, "1" * 31])
def test_absurdly_long_amounts_are_refused(text):
    with pytest.raises(forms.ValidationError):
        parse_pounds(text)


# --- Comment text -----------------------------------------------------------------------------------

OWN_MARKUP = re.compile(r'<a href="[^"<>]*"(?: rel="nofollow ugc noopener")?>|</a>|<br>')


COMMENT_PIECES = [
    "<", ">", "&", '"', "'", "\n", "https://example.org/a?b=1&c=<2>", "www.example.org", "a@b.example",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)", " ", "x",
    'http://x.example/"onmouseover=alert(1)//', "<a href=x>", "&lt;", "(", ")", ".",
]  # fmt: skip


@bounded
@given(st.text(max_size=300) | st.lists(st.sampled_from(COMMENT_PIECES), max_size=30).map("".join))
@example('https://example.org/"><script>alert(1)</script>')
def test_comment_text_never_lets_a_tag_through(text):
    rendered = str(comment_text(text))
    # Everything left once the filter's own links and line breaks are taken out is escaped text.
    assert "<" not in OWN_MARKUP.sub("", rendered)
    for href in re.findall(r'<a href="([^"]*)"', rendered):
        assert href.startswith(("http://", "https://", "mailto:")), href
    assert rendered.count("<br>") == text.count("\n")


LINKY_PIECES = [
    *COMMENT_PIECES, "HTTP://EXAMPLE.ORG", "Www.x.com", "news.COM", "x.net/a", "mail@", "@", "edu",
    ".org.", "(www.example.com)", "a.gov,", "https:", "ftp://x.example", "example.co.uk", "\t",
]  # fmt: skip


@bounded
@given(st.text(max_size=200) | st.lists(st.sampled_from(LINKY_PIECES), max_size=20).map("".join))
def test_comment_text_links_exactly_what_urlize_links(text):
    # comment_text skips urlize for text that cannot hold a link: the reader must see the same.
    linked = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    expected = linked.replace('rel="nofollow"', 'rel="nofollow ugc noopener"').replace("\n", "<br>")
    assert str(comment_text(text)) == expected


# --- Pages for any address and any search ---------------------------------------------------------

# Each example is a request: fewer of them, and the test's own fixtures are the same for all.
bounded_requests = hypothesis_settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def story(db, settings):
    settings.SEARCH_RATE_LIMIT = 10**9  # every example is a search from the same address
    return make_article("Rent strike spreads", tags=["housing"])


# Web-search syntax (PostgreSQL) and FTS5 (SQLite) give these meaning: long runs of them are
# what overflowed PostgreSQL's tsquery stack ("-" forty times answered 500).
SEARCH_PIECES = [
    "-", "- ", " ", '"', "!", "&", "|", "(", ")", "<", "<->", ":", "*", "'", ",", ".", "\\", "^",
    "or", "OR", "and", "NOT", "NEAR", "the", "rent", "strike", "é", "_", "—", "\t", "-1", "+", "{", "}",
]  # fmt: skip
operator_runs = st.lists(
    st.tuples(st.sampled_from(SEARCH_PIECES), st.integers(1, 80)).map(lambda run: run[0] * run[1]),
    max_size=6,
).map("".join)


@bounded_requests
@given(st.one_of(operator_runs, st.text(max_size=250)))
@example("-" * 40)
@example("- " * 40 + "rent")
@example("-!" * 40 + "rent")
@example('"-' * 60)
def test_any_search_gets_a_page(client, story, text):
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200


def month_addresses(year, month):
    return [f"/sitemap-articles-{year:04d}-{month:02d}.xml", f"/archive/{year:04d}/{month:02d}/"]


@bounded_requests
@given(
    st.one_of(st.integers(0, 9999), st.sampled_from([0, 1, 1989, 1990, 2200, 2201, 9998, 9999])),
    st.one_of(st.integers(0, 99), st.sampled_from([0, 1, 12, 13, 99])),
)
@example(9999, 12)
@example(2200, 12)
@example(1, 1)
def test_any_month_gets_a_page_or_a_not_found(client, story, year, month):
    for address in month_addresses(year, month):
        assert client.get(address).status_code in {200, 404}, address
    article_page = client.get(f"/{year:04d}/{month:02d}/{month:02d}/{story.slug}/")
    assert article_page.status_code in {200, 301, 404}
