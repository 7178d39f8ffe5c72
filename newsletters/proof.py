"""A test copy of an issue to one of the newsroom, by the road the real ones take.

Rendered as readers get it (the members' or everyone else's copy) and sent through the
newsletters' own connection, with "[Test]" before the subject. It writes no delivery and moves
the issue nowhere; its links go straight to the stories, so the newsroom's clicks are not
counted, and its unsubscribe and preferences links lead to the newsletters' page.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from . import rendering
from .sender import bulk_connection


def sample(issue, *, member):
    """(subject, text, html) of a copy with no reader's links in it: the preview's and a test's."""
    copy = rendering.render(issue, member=member)
    newsletters_page = settings.SITE_URL + reverse("newsletters:index")
    return (copy.subject, *copy.personalise(newsletters_page, newsletters_page))


def send_test(issue, address, *, member):
    subject, text, html = sample(issue, member=member)
    newsletter = issue.newsletter
    message = EmailMultiAlternatives(
        f"[Test] {subject}",
        text,
        rendering.sender(newsletter),
        [address],
        reply_to=[newsletter.reply_to] if newsletter.reply_to else None,
        headers={"List-Id": rendering.list_id(newsletter)},
        connection=bulk_connection(),
    )
    message.attach_alternative(html, "text/html")
    message.send()
