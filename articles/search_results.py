"""What a search hands a paginator: the ranked matches, fetched a page at a time, or on a
database with no full-text index, a plain filter."""

from functools import cached_property

from django.db.models import Q

from .models import Article


class RankedArticles:
    """A search's matches: every id, in order, from one query; articles fetched a page at a time."""

    def __init__(self, rank, query):
        self.rank, self.query = rank, query

    @cached_property
    def ids(self):
        return self.rank(self.query)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        found = Article.objects.published().teasers_joined().in_bulk(ids)
        # Keep the ranking; an article unpublished since the first query just drops out.
        articles = [found[pk] for pk in ids if pk in found]
        return articles if isinstance(index, slice) else articles[0]

    def __iter__(self):
        return iter(self[:])


def search_plainly(text):
    """Other databases: every word somewhere in the text, newest first. Correct, not ranked."""
    articles = Article.objects.published()
    for term in text.split()[:20]:
        articles = articles.filter(
            Q(headline__icontains=term) | Q(standfirst__icontains=term) | Q(body__icontains=term)
        )
    return articles.teasers()
