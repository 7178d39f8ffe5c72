from .article import ActionLink, Article
from .comments import BlockedCommenter, Comment
from .corrections import Correction, CorrectionRequest
from .images import Image
from .pages import OldPath, Page
from .people import Author, Section
from .revisions import ArticleRevision
from .search_entry import SearchEntry
from .tags import ArticleTag

__all__ = [
    "ActionLink",
    "Article",
    "ArticleRevision",
    "ArticleTag",
    "BlockedCommenter",
    "Comment",
    "Correction",
    "CorrectionRequest",
    "Author",
    "Image",
    "OldPath",
    "Page",
    "SearchEntry",
    "Section",
]
