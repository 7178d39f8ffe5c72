from django.conf import settings
from django.http import HttpResponse
from django.views.generic import ListView

from core.client_address import client_ip
from core.ratelimit import allow

from .. import search, search_suggestions
from ..models.article import attach_bylines
from ..pagination import CappedPaginator
from .pages import public_page, with_bylines

# Longer input is cut, not refused: the reader still gets a page, and is told.
MAX_QUERY_LENGTH = 200
# Searches a minute from one address. Only those the page cache misses reach here, and each runs a
# full-text query: a scraper cycling through words is slowed, a reader never notices.
SEARCH_RATE_LIMIT = 30


@public_page
class SearchView(ListView):
    """Reader search. Public and cacheable: the page cache keys on `q` and `page`."""

    template_name = "articles/search.html"
    page_cache_params = ("q", "page")
    paginate_by = search.RESULTS_PAGE_SIZE
    paginator_class = CappedPaginator
    context_object_name = "articles"

    def get(self, request, *args, **kwargs):
        # NUL bytes cannot be stored or queried in PostgreSQL text; whitespace runs mean nothing.
        query = " ".join(request.GET.get("q", "").replace("\x00", "").split())
        self.truncated = len(query) > MAX_QUERY_LENGTH
        if self.truncated:
            # Cut at a word boundary: half a word would match nothing.
            cut = query[: MAX_QUERY_LENGTH + 1]
            query = cut.rsplit(" ", 1)[0] if " " in cut else cut[:MAX_QUERY_LENGTH]
        self.query = query
        limit = getattr(settings, "SEARCH_RATE_LIMIT", SEARCH_RATE_LIMIT)
        if query and not allow("search:ip", client_ip(request), limit):
            response = HttpResponse(
                "Too many searches from your connection in the last minute. "
                "Please wait a minute and try again.\n",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "60"
            response["Cache-Control"] = "no-store"  # never kept, by us or a proxy
            return response
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return search.search(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query, truncated=self.truncated, max_query_length=MAX_QUERY_LENGTH, **kwargs
        )
        with_bylines(context, self.context_object_name)
        if self.query and not context["articles"]:
            context["other_spellings"] = search_suggestions.other_spellings(self.query)
            context["latest"] = attach_bylines(search_suggestions.latest_stories())
        return context
