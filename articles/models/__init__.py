from .article import ActionLink, Article
from .images import Image
from .pages import OldPath, Page
from .people import Author, Section

__all__ = ["ActionLink", "Article", "Author", "Image", "OldPath", "Page", "Section"]
