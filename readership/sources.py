"""What a beacon says about where its reader came from, and who is not counted."""

import re

from .models import Source

# Hosts by their registrable part: "www.google.co.uk" and "news.google.com" are both search.
SEARCH = re.compile(r"(^|\.)(google|bing|duckduckgo|yahoo|ecosia|qwant|startpage|yandex|baidu|brave|kagi)\.")
SOCIAL = re.compile(
    r"(^|\.)(facebook|fb|instagram|t|x|twitter|linkedin|lnkd|reddit|bsky|threads|tiktok|whatsapp|"
    r"telegram|youtube|pinterest|mastodon|social|tumblr)\."
)
# Crawlers, link previews, monitors and scripted browsers say so in their user agent.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|headless|"
    r"python|curl|wget|httpclient|java/|go-http|okhttp|scrapy|phantomjs|lighthouse|pingdom",
    re.IGNORECASE,
)
HOST = re.compile(r"^[a-z0-9.-]{1,100}$")


def is_bot(user_agent):
    return not user_agent or bool(BOTS.search(user_agent))


def clean_host(value):
    """A host as the script sent it, or "" if it is not one (a full address is never kept)."""
    value = (value or "").strip().lower().removeprefix("www.")
    return value if HOST.match(value) else ""


def source_of(host, via, own_host):
    """The kind of source, and the host worth keeping ("" for our own site and for none)."""
    if via in (Source.NEWSLETTER, Source.APPEAL):
        return via, host if host != own_host else ""
    if not host or host == own_host:
        return Source.DIRECT, ""
    if SEARCH.search(host):
        return Source.SEARCH, host
    if SOCIAL.search(host):
        return Source.SOCIAL, host
    return Source.OTHER, host
