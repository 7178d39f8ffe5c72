"""Clicks per link of an issue, counted first-party and holding nothing about the reader.

When an issue starts, each link it carries to the site gets a row; the email links to a
redirect naming that row by a signed id, so the redirect only ever goes where the issue
really pointed. A click adds one to the row's count: no subscriber, no address, no time.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import F
from django.urls import reverse

SALT = "newsletters.link"


class IssueLinkQuerySet(models.QuerySet):
    def by_clicks(self):
        return self.order_by("-clicks", "position", "pk")


class IssueLink(models.Model):
    issue = models.ForeignKey("newsletters.Issue", on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=500)
    label = models.CharField(
        max_length=200, blank=True, help_text="The story's headline, or what the link is."
    )
    position = models.PositiveSmallIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    objects = IssueLinkQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["issue", "url"], name="one_link_per_issue_url")]

    def __str__(self):
        return self.label or self.url

    @classmethod
    def carry(cls, issue):
        """Write a row for each link the issue's email carries: the home page, then its stories."""
        links = {settings.SITE_URL + "/": "The site's home page"}
        for story in issue.stories.all():
            links.setdefault(story.link, story.headline)
        cls.objects.bulk_create(
            [
                cls(issue=issue, url=url, label=label[:200], position=n)
                for n, (url, label) in enumerate(links.items())
            ],
            ignore_conflicts=True,
        )

    @classmethod
    def redirects(cls, issue):
        """{the link as written: the redirect that counts it} for the issue's email."""
        signer = signing.Signer(salt=SALT)
        return {
            url: settings.SITE_URL + reverse("newsletters:go", args=[signer.sign(str(pk))])
            for pk, url in cls.objects.filter(issue=issue).values_list("pk", "url")
        }

    @staticmethod
    def pk_from(token):
        """The row a redirect's token names, or None if we did not sign it."""
        try:
            return int(signing.Signer(salt=SALT).unsign(token))
        except (signing.BadSignature, ValueError):
            return None

    @classmethod
    def follow(cls, token, count=True):
        """The address the token's link goes to, counting the click; None if the token is not ours."""
        pk = cls.pk_from(token)
        if pk is None:
            return None
        if count and not cls.objects.filter(pk=pk).update(clicks=F("clicks") + 1):
            return None
        found = cls.objects.filter(pk=pk).values_list("url", "issue_id").first()
        url, issue_id = found or ("", 0)
        # Only the site's own or an editor's full address; never a scheme a browser would run.
        if not url.startswith(("https://", "http://")):
            return None
        return from_issue(url, issue_id)


def from_issue(url, issue_id):
    """Our own pages say which issue brought the reader (the readership beacon counts it);
    another site's address goes on as the editor wrote it. The page cache ignores both
    parameters, so the page is the one it keeps."""
    parts = urlsplit(url)
    if parts.netloc.lower() != urlsplit(settings.SITE_URL).netloc.lower():
        return url
    query = [(name, value) for name, value in parse_qsl(parts.query) if name not in ("via", "issue")]
    query += [("via", "newsletter"), ("issue", str(issue_id))]
    return urlunsplit(parts._replace(query=urlencode(query)))
