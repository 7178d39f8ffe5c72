from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from core import cache_tags
from core.links import link

from .. import article_page, commenting, home
from ..models import Article, ArticleTag, Author, Page, Section
from ..models.article import archive_month, attach_bylines
from ..pagination import CappedPaginator
from .comments import reader_form

# Reader pages say they are public; the page cache and any proxy in front may keep them.
public_page = method_decorator(cache_control(public=True), name="dispatch")

LIST_PAGE_SIZE = 20


@public_page
class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, **home.front_page())


@public_page
class ArticleView(DetailView):
    template_name = "articles/article.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        article = article_page.published_article(self.kwargs["slug"])
        if article is None:
            raise Http404("No published article here.")
        return article

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            withdrawn = self.withdrawn_response(request)
            if withdrawn is None:
                raise
            return withdrawn
        url = self.object.get_absolute_url()
        if request.path != url:
            # The right slug under the wrong date: send readers to where it lives.
            return redirect(url, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def withdrawn_response(self, request):
        """410 Gone with a short notice for an article that was out and has been withdrawn.

        Looked up only once the published article is not found, so live pages pay nothing.
        The notice is public like the page it replaces: the page cache stores only 200s, and a
        proxy keeps it no longer than the short shared max-age, as it did the article.
        """
        article = (
            Article.objects.published(including_withdrawn=True)
            .withdrawn()
            .filter(slug=self.kwargs["slug"])
            .only("withdrawn_at")
            .first()
        )
        if article is None:
            return None
        context = {
            "withdrawn_at": article.withdrawn_at,
            "corrections_page": Page.objects.filter(slug=settings.CORRECTIONS_PAGE_SLUG).first(),
        }
        response = render(request, "articles/withdrawn.html", context, status=410)
        patch_cache_control(response, max_age=0, s_maxage=settings.PAGE_CACHE_SHARED_MAX_AGE)
        return response

    def get_context_data(self, **kwargs):
        article = self.object
        tags = article_page.tags(article)
        authors = article_page.authors(article)
        # What this page shows, for a CDN that purges by tag (read from what is already loaded).
        cache_tags.add(
            self.request,
            *cache_tags.article_tags(
                article.pk, article.section_id, [t.pk for t in tags], [a.pk for a in authors]
            ),
        )
        comments, comment_count = commenting.thread(article_page.comments(article))
        return super().get_context_data(
            comments=comments,
            comment_count=comment_count,
            # None for a reader who is not signed in: the blank form is made once (blank_fields).
            comment_form=reader_form(self.request) if self.request.user.is_authenticated else None,
            authors=authors,
            tags=tags,
            action_links=article_page.action_links(article),
            related=home.related_to(article, tags),
            **kwargs,
        )


class ArticleListView(ListView):
    template_name = "articles/list.html"
    # The query parameters the page reads; the page cache keys on these alone.
    page_cache_params = ("page",)
    paginate_by = LIST_PAGE_SIZE
    paginator_class = CappedPaginator
    context_object_name = "articles"

    def get_queryset(self):
        return self.filtered(Article.objects.published()).teasers()

    def filtered(self, articles):
        return articles

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        with_bylines(context, self.context_object_name)
        number = page.number
        context["canonical_path"] = self.request.path + (f"?page={number}" if number > 1 else "")
        if getattr(page.paginator, "capped", False) and not page.has_next():
            # The list stops here though there are older stories: the month archive has them all.
            context["older_stories"] = where_in_the_archive(list(page.object_list)[-1])
        return context


def with_bylines(context, name):
    """A list view's page of stories, read once, with their bylines attached (attach_bylines)."""
    page = context["page_obj"]
    page.object_list = context["object_list"] = context[name] = attach_bylines(page.object_list)


def where_in_the_archive(article):
    """The month archive's page that shows this story, so a reader goes on from where they were."""
    day = article.local_date
    bounds = archive_month(day.year, day.month)
    if bounds is None:  # a date no editor could have typed (an import, say): no archive page has it
        return None
    start, end = bounds
    newer = (
        Article.objects.published()
        .filter(published_at__gte=start, published_at__lt=end)
        .filter(
            Q(published_at__gt=article.published_at) | Q(published_at=article.published_at, pk__gt=article.pk)
        )
        .count()
    )
    where = month_of(article.published_at)
    number = newer // LIST_PAGE_SIZE + 1
    return where if number == 1 else {**where, "url": f"{where['url']}?page={number}"}


@public_page
class SectionView(ArticleListView):
    def get(self, request, *args, **kwargs):
        self.section = get_object_or_404(Section, slug=kwargs["slug"])
        cache_tags.add(request, f"s{self.section.pk}")
        return super().get(request, *args, **kwargs)

    def filtered(self, articles):
        return articles.filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.section.name,
            description=self.section.description,
            subject=self.section,
            feed_url=link("articles:section-feed", self.section.slug),
            **kwargs,
        )


@public_page
class TagView(ArticleListView):
    def get(self, request, *args, **kwargs):
        self.tag = get_object_or_404(Tag, slug=kwargs["slug"])
        cache_tags.add(request, f"t{self.tag.pk}")
        return super().get(request, *args, **kwargs)

    def filtered(self, articles):
        return articles.filter(tags=self.tag)

    def get_paginator(self, queryset, per_page, **kwargs):
        if connection.vendor == "sqlite":
            # SQLite's planner knows only the average tag, so for one on a good share of the
            # archive it reads every tagging and sorts them all for a page of twenty. Such a
            # tag fills the capped count; its pages then walk the newest stories instead,
            # checking each for the tag, and stop once the page is full.
            carries_tag = ArticleTag.objects.filter(content_object_id=OuterRef("pk"), tag=self.tag)
            kwargs["long_list"] = Article.objects.published().teasers().filter(Exists(carries_tag))
        return super().get_paginator(queryset, per_page, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Tagged: {self.tag.name}",
            description=f"Our reporting and opinion tagged {self.tag.name}.",
            subject=self.tag,
            feed_url=link("articles:tag-feed", self.tag.slug),
            **kwargs,
        )


@public_page
class AuthorView(ArticleListView):
    template_name = "articles/author.html"

    def get(self, request, *args, **kwargs):
        self.author = get_object_or_404(Author.objects.select_related("photo"), slug=kwargs["slug"])
        cache_tags.add(request, f"p{self.author.pk}")
        return super().get(request, *args, **kwargs)

    def filtered(self, articles):
        return articles.filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.author.name,
            description=self.author.bio[:300],
            author=self.author,
            feed_url=link("articles:author-feed", self.author.slug),
            **kwargs,
        )


@public_page
class PageView(DetailView):
    template_name = "articles/page.html"
    model = Page
    context_object_name = "page"


@public_page
class LatestView(ArticleListView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Latest stories", description="Everything we have published, newest first.", **kwargs
        )


@public_page
class MonthArchiveView(ArticleListView):
    """Every story published in one calendar month, London time.

    Not capped like the other lists: this is where their older stories are found, and its cost
    is bounded by one month's publishing, not by the size of the archive.
    """

    paginator_class = Paginator
    # A month with no stories, before the first or after today, is not a page of the archive.
    allow_empty = False

    def get(self, request, *args, **kwargs):
        bounds = archive_month(kwargs["year"], kwargs["month"])
        if bounds is None:
            raise Http404("No such month")
        self.start, self.end = bounds
        return super().get(request, *args, **kwargs)

    def filtered(self, articles):
        return articles.filter(published_at__gte=self.start, published_at__lt=self.end)

    def get_context_data(self, **kwargs):
        published = Article.objects.published()
        return super().get_context_data(
            heading=f"{self.start:%B %Y}",
            description=f"Everything we published in {self.start:%B %Y}.",
            # The nearest months with stories, so a reader can walk the archive either way.
            older_month=month_of(published.last_before(self.start)),
            newer_month=month_of(published.first_from(self.end)),
            **kwargs,
        )


def month_of(moment):
    """The month archive a moment falls in (London time) as its first day and address, or None."""
    if moment is None:
        return None
    day = timezone.localtime(moment)
    return {"month": day, "url": reverse("articles:month", args=[day.year, day.month])}
