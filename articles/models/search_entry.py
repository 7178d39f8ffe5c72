from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """A story's words as PostgreSQL's full-text search reads them (articles.search).

    A table of its own rather than a column of the story's: a rebuild rewrites these narrow rows
    and their two indexes, not every story with its thirteen. Its GIN index is made by migration
    0015 on PostgreSQL only; SQLite keeps its index in the FTS5 table and leaves this one empty.
    """

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    # Weighted: headline A, standfirst B, body and tag names C.
    vector = SearchVectorField()

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"Search entry of story {self.article_id}"
