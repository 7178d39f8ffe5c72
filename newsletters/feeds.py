"""An Atom feed per public newsletter: its sent issues, newest first, as the archive shows them.

Members' letters, hidden letters, drafts and issues still sending have no entry, and the
email-only text never leaves the email. Links are SITE_URL plus a path, like the site's own
feeds (articles/feeds.py): a cached feed must point at the one public address.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from articles.feeds import FullContentAtomFeed, absolute, xml_text

from .models import Newsletter, Story

FEED_SIZE = 30


class IssueFeed(Feed):
    feed_type = FullContentAtomFeed

    def get_object(self, request, slug):
        newsletter = get_object_or_404(Newsletter.objects.public(), slug=slug)
        if newsletter.members_only:
            raise Http404("Members' letters have no public archive.")
        return newsletter

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = absolute(request.path)  # not the host the request came in on
        return feed

    def title(self, obj):
        return xml_text(f"{obj.name} | {settings.SITE_NAME}")

    def subtitle(self, obj):
        return xml_text(obj.description) or f"Past issues of {obj.name}."

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def author_name(self, obj):
        return obj.sender_name or settings.SITE_NAME

    def items(self, obj):
        stories = Story.objects.only("issue_id", "position", "headline", "standfirst", "link")
        return (
            obj.issues.sent()
            .defer("email_only")
            .prefetch_related(Prefetch("stories", queryset=stories))
            .order_by("-finished_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return xml_text(item.subject)

    def item_description(self, item):
        # Atom's summary is text: the preheader, or the headlines it carried.
        return xml_text(item.preheader or "; ".join(story.headline for story in item.stories.all()))

    def item_extra_kwargs(self, item):
        html = render_to_string("newsletters/feed_entry.html", {"issue": item, "stories": item.stories.all()})
        return {"content_html": xml_text(html)}

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.finished_at

    def item_updateddate(self, item):
        return item.finished_at
