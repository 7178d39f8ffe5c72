from django.urls import path, register_converter
from django.views.decorators.cache import cache_control

from . import comment_views, feeds, preview, search_views, seo_views, views


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class TagSlug:
    """taggit keeps letters beyond ASCII in slugs ("Ελλάδα" is at /tag/ελλάδα/)."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FourDigitYear, "yyyy")
register_converter(TagSlug, "tagslug")
register_converter(TwoDigits, "dd")

# Feeds, sitemaps and robots.txt are public reader pages: the page cache may keep them.
public = cache_control(public=True)

app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", views.ArticleView.as_view(), name="article"),
    path("latest/", views.LatestView.as_view(), name="latest"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tag/<tagslug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("archive/<yyyy:year>/<dd:month>/", views.MonthArchiveView.as_view(), name="month"),
    path("about/<slug:slug>/", views.PageView.as_view(), name="page"),
    path("search/", search_views.SearchView.as_view(), name="search"),
    # Never public: a preview answers "private, no-store" and the page cache never keeps it.
    path("preview/<int:article_id>/", preview.preview, name="preview"),
    path("preview/share/<str:token>/", preview.shared_preview, name="preview-share"),
    path("feed/", public(feeds.ArticleFeed()), name="feed"),
    path("feed/atom/", public(feeds.AtomArticleFeed()), name="feed-atom"),
    path("section/<slug:slug>/feed/", public(feeds.SectionFeed()), name="section-feed"),
    path("tag/<tagslug:slug>/feed/", public(feeds.TagFeed()), name="tag-feed"),
    path("author/<slug:slug>/feed/", public(feeds.AuthorFeed()), name="author-feed"),
    path("robots.txt", public(seo_views.robots_txt), name="robots"),
    path("sitemap.xml", public(seo_views.sitemap_index), name="sitemap"),
    # Before the generic pattern below, which would take "news" for a section name.
    path("sitemap-news.xml", public(seo_views.news_sitemap), name="sitemap-news"),
    path(
        "sitemap-articles-<yyyy:year>-<dd:month>.xml", public(seo_views.sitemap_month), name="sitemap-month"
    ),
    path("sitemap-<str:section>.xml", public(seo_views.sitemap_section), name="sitemap-section"),
]

urlpatterns += [
    path("comments/token/", comment_views.comment_token, name="comment-token"),
    path("comments/<int:article_id>/preview/", comment_views.preview, name="comment-preview"),
    path("comments/<int:article_id>/post/", comment_views.post_comment, name="comment-post"),
    path("comments/<int:article_id>/reply/<int:comment_id>/", comment_views.reply, name="comment-reply"),
    path("comments/confirm/<str:token>/", comment_views.confirm, name="comment-confirm"),
]
