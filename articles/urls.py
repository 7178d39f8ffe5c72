from django.urls import path, register_converter
from django.views.decorators.cache import cache_control

from . import feeds
from .views import comments, feed_list, pages, preview, report_error, search, seo


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
    path("", pages.HomeView.as_view(), name="home"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", pages.ArticleView.as_view(), name="article"),
    path("latest/", pages.LatestView.as_view(), name="latest"),
    path("section/<slug:slug>/", pages.SectionView.as_view(), name="section"),
    path("tag/<tagslug:slug>/", pages.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", pages.AuthorView.as_view(), name="author"),
    path("archive/<yyyy:year>/<dd:month>/", pages.MonthArchiveView.as_view(), name="month"),
    path("about/<slug:slug>/", pages.PageView.as_view(), name="page"),
    path("search/", search.SearchView.as_view(), name="search"),
    # Never public: a preview answers "private, no-store" and the page cache never keeps it.
    path("preview/<int:article_id>/", preview.preview, name="preview"),
    path("preview/share/<str:token>/", preview.shared_preview, name="preview-share"),
    path("feeds/", feed_list.FeedsView.as_view(), name="feeds"),
    path("feed/", public(feeds.ArticleFeed()), name="feed"),
    path("feed/atom/", public(feeds.AtomArticleFeed()), name="feed-atom"),
    path("section/<slug:slug>/feed/", public(feeds.SectionFeed()), name="section-feed"),
    path("tag/<tagslug:slug>/feed/", public(feeds.TagFeed()), name="tag-feed"),
    path("author/<slug:slug>/feed/", public(feeds.AuthorFeed()), name="author-feed"),
    path("robots.txt", public(seo.robots_txt), name="robots"),
    path("sitemap.xml", public(seo.sitemap_index), name="sitemap"),
    # Before the generic pattern below, which would take "news" for a section name.
    path("sitemap-news.xml", public(seo.news_sitemap), name="sitemap-news"),
    path("sitemap-articles-<yyyy:year>-<dd:month>.xml", public(seo.sitemap_month), name="sitemap-month"),
    path("sitemap-<str:section>.xml", public(seo.sitemap_section), name="sitemap-section"),
]

urlpatterns += [
    path("comments/token/", comments.comment_token, name="comment-token"),
    path("comments/<int:article_id>/preview/", comments.preview, name="comment-preview"),
    path("comments/<int:article_id>/post/", comments.post_comment, name="comment-post"),
    path("comments/<int:article_id>/reply/<int:comment_id>/", comments.reply, name="comment-reply"),
    path("comments/confirm/<str:token>/", comments.confirm, name="comment-confirm"),
    path("report-error/<int:article_id>/", report_error.report_error, name="report-error"),
    path("report-error/<int:article_id>/thanks/", report_error.thanks, name="report-error-thanks"),
]
