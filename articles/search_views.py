from django.views.generic import ListView

from . import search
from .views import LIST_PAGE_SIZE, public_page

# Longer input is cut, not refused: the reader still gets a page, and is told.
MAX_QUERY_LENGTH = 200


@public_page
class SearchView(ListView):
    """Reader search. Public and cacheable: the page cache keys on `q` and `page`."""

    template_name = "articles/search.html"
    paginate_by = LIST_PAGE_SIZE
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
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return search.search(self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query=self.query, truncated=self.truncated, max_query_length=MAX_QUERY_LENGTH, **kwargs
        )
