"""The page that explains feeds and lists every one with its address to copy."""

from django.views.generic import TemplateView

from core.links import link

from ..feeds import absolute
from ..models import Section
from .pages import public_page


@public_page
class FeedsView(TemplateView):
    """The footer's and every list page's feed link lead here. The newsletters' archive feeds
    are listed by the template from the shared sign-up offer (the articles app reads no other)."""

    template_name = "articles/feeds.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            site_feeds=[
                ("Every story (RSS)", "For most feed readers.", absolute(link("articles:feed"))),
                (
                    "Every story (Atom)",
                    "The same stories, for readers that prefer Atom.",
                    absolute(link("articles:feed-atom")),
                ),
            ],
            section_feeds=[
                (section.name, absolute(link("articles:section-feed", section.slug)))
                for section in Section.objects.order_by("name").only("name", "slug")
            ],
            **kwargs,
        )
