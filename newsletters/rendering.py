"""An issue as an email: rendered once per issue and audience, then only the reader's own
links put in per message.

The templates are rendered with a marker where each per-reader link goes; a message is the
rendered text with the markers replaced, so ten thousand messages cost one render and ten
thousand string replacements. The markers hold a random part, so no text an editor types can
be mistaken for one.
"""

import secrets
from dataclasses import dataclass
from email.utils import formataddr
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string

from mailroom.kinds import coop

from . import appeal
from .links import leave_url, preferences_url

TEMPLATE = "emails/newsletters/issue"
# The column the pictures fill (600 px less the padding), and how many pixels they carry for
# sharp screens.
PICTURE_WIDTH = 544


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    marks: tuple  # (leave marker, preferences marker)

    def personalise(self, leave, preferences):
        """The text and HTML with this reader's links in place of the markers."""
        text, html = self.text, self.html
        for mark, url in zip(self.marks, (leave, preferences), strict=True):
            text, html = text.replace(mark, url), html.replace(mark, url)
        return text, html


def paragraphs(text):
    return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


def absolute(url):
    return url if urlsplit(url).scheme else settings.SITE_URL + url


def picture(image):
    """The story's picture at a size for the email: a copy at least twice the column if any."""
    if image is None or not image.width:
        return None
    url = image.fallback_url(2 * PICTURE_WIDTH) or image.largest_fallback_url
    return {
        "url": absolute(url),
        "alt": image.alt_text,
        "width": PICTURE_WIDTH,
        "height": round(image.height * PICTURE_WIDTH / image.width),
    }


def story_context(stories, redirects=None):
    redirects = redirects or {}
    return [
        {
            "headline": story.headline,
            "standfirst": story.standfirst,
            "link": redirects.get(story.link, story.link),
            "picture": picture(story.picture),
        }
        for story in stories
    ]


def render(issue, *, member, stories=None, tracked=False):
    """The issue for members or for everyone else, with markers for the reader's links.

    Tracked, its links to the site go through the click-counting redirect (models.clicks),
    as in the copies readers get; a preview or a test leaves them direct, so the newsroom's
    own clicks are not counted.
    """
    from .models import IssueLink

    redirects = IssueLink.redirects(issue) if tracked else {}
    home = settings.SITE_URL + "/"
    marks = tuple(f"urn:canary-{secrets.token_hex(8)}:{name}" for name in ("leave", "preferences"))
    if stories is None:
        stories = issue.stories.select_related("picture")
    context = {
        "coop": coop(),
        "issue": issue,
        "newsletter": issue.newsletter,
        "introduction": paragraphs(issue.introduction),
        "email_only": paragraphs(issue.email_only),
        "stories": story_context(stories, redirects),
        "home_url": redirects.get(home, home),
        "member": member,
        "appeal": None if member else appeal.for_issue(issue, stories),
        "leave_url": marks[0],
        "preferences_url": marks[1],
    }
    subject = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())[:250]
    return Rendered(
        subject=subject,
        text=render_to_string(f"{TEMPLATE}.txt", context),
        html=render_to_string(f"{TEMPLATE}.html", context),
        marks=marks,
    )


def sender(newsletter):
    """From: the newsletter's sender name at NEWSLETTER_FROM_EMAIL's address."""
    from email.utils import parseaddr

    name, address = parseaddr(settings.NEWSLETTER_FROM_EMAIL)
    return formataddr((newsletter.sender_name or name or settings.SITE_NAME, address))


def list_id(newsletter):
    """List-Id (RFC 2919): the letter's name and a stable id under the site's host."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{newsletter.name} <{newsletter.slug}.{host}>"


def links_for(subscriber, newsletter):
    return leave_url(subscriber, newsletter), preferences_url(subscriber)
