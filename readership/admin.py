"""Readership in the admin: pictures first. The tallies' list is the "Now" page."""

from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from articles.models import Article
from supporters.admin.giving import csv_response
from supporters.forms import money

from . import charts, figures
from .funnel import CSV_ROWS, funnel, story_funnel
from .groups import TOP, group_figures
from .issues import issue_figures
from .models import Tally
from .periods import PeriodForm

PERMISSION = "readership.view_tally"  # seeing the counts is seeing the figures


@admin.register(Tally)
class ReadershipNowAdmin(admin.ModelAdmin):
    """Nobody adds, changes or deletes a count by hand; the figures are read only."""

    def has_module_permission(self, request):
        return request.user.has_perm(PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        story = self.admin_site.admin_view(self.story_view)
        funnel_page = self.admin_site.admin_view(self.funnel_view)
        funnel_csv = self.admin_site.admin_view(self.funnel_csv)
        return [
            path("story/<int:article_id>/", story, name="readership_tally_story"),
            path("funnel/", funnel_page, name="readership_tally_funnel"),
            path("funnel/csv/", funnel_csv, name="readership_tally_funnel_csv"),
            path("groups/", self.admin_site.admin_view(self.groups_view), name="readership_tally_groups"),
            path(
                "newsletters/", self.admin_site.admin_view(self.issues_view), name="readership_tally_issues"
            ),
            *super().get_urls(),
        ]

    def stories_for(self, request):
        """(may see, stories): editors and Finance every story (None), a contributor their own."""
        user = request.user
        if user.has_perm(PERMISSION):
            return True, None
        if user.has_perm("articles.view_article"):
            return True, Article.objects.worked_on_by(user)
        return False, None

    def report_period(self, request):
        form = PeriodForm(request.GET, today=timezone.localdate())
        return form, *form.period()

    def funnel_view(self, request):
        allowed, stories = self.stories_for(request)
        if not allowed:
            return TemplateResponse(request, "admin/readership/denied.html", status=403)
        form, start, end = self.report_period(request)
        data = funnel(start, end, stories)
        for row in [data["totals"], *data["calls"], *data["stories"]]:
            row["money"] = money(row["pence"])
        totals = data["totals"]
        context = {
            **self.admin_site.each_context(request),
            "title": "The appeals funnel" if stories is None else "The appeals funnel: your stories",
            "opts": self.model._meta,
            "form": form,
            "start": start,
            "end": end,
            "own_stories_only": stories is not None,
            "csv_query": request.GET.urlencode(),
            **data,
            "funnel_chart": charts.funnel(
                [("Appeal views", totals["views"]), ("Clicks", totals["clicks"]), ("Gifts", totals["gifts"])],
                title="Appeal views, then clicks, then gifts",
            ),
        }
        return TemplateResponse(request, "admin/readership/funnel.html", context)

    def groups_view(self, request):
        allowed, stories = self.stories_for(request)
        if not allowed:
            return TemplateResponse(request, "admin/readership/denied.html", status=403)
        form, start, end = self.report_period(request)
        data = group_figures(start, end, stories)
        context = {
            **self.admin_site.each_context(request),
            "title": "Sections, tags and authors" + ("" if stories is None else ": your stories"),
            "opts": self.model._meta,
            "form": form,
            "start": start,
            "end": end,
            "own_stories_only": stories is not None,
            **data,
            "groups": [
                (
                    heading,
                    data[kind],
                    charts.rows([(row["name"][:22], row["views"]) for row in data[kind]], title=heading),
                    column,
                )
                for kind, heading, column in (
                    ("sections", "Views per section", "Section"),
                    ("tags", f"The {TOP} most read tags", "Tag"),
                    ("authors", f"The {TOP} most read authors", "Author"),
                )
            ],
        }
        return TemplateResponse(request, "admin/readership/groups.html", context)

    def issues_view(self, request):
        allowed, stories = self.stories_for(request)
        if not allowed:
            return TemplateResponse(request, "admin/readership/denied.html", status=403)
        form, start, end = self.report_period(request)
        rows = issue_figures(start, end, stories)
        context = {
            **self.admin_site.each_context(request),
            "title": "Visits from each newsletter issue" + ("" if stories is None else ": your stories"),
            "opts": self.model._meta,
            "form": form,
            "start": start,
            "end": end,
            "own_stories_only": stories is not None,
            "issues": rows,
            "issues_chart": charts.rows(
                [(row["issue"].subject[:22], row["visits"]) for row in rows], title="Visits from each issue"
            ),
        }
        return TemplateResponse(request, "admin/readership/issues.html", context)

    def funnel_csv(self, request):
        allowed, stories = self.stories_for(request)
        if not allowed:
            return TemplateResponse(request, "admin/readership/denied.html", status=403)
        _, start, end = self.report_period(request)
        data = funnel(start, end, stories, limit=CSV_ROWS)
        rows = [
            (kind, row["name"], row["views"], row["clicks"], row["gifts"], f"{row['pence'] / 100:.2f}")
            for kind, key in (("Call to action", "calls"), ("Story", "stories"))
            for row in data[key]
        ]
        return csv_response(
            request,
            f"appeals-funnel-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}",
            ["Kind", "Name", "Appeal views", "Clicks", "Gifts", "Money (GBP)"],
            rows,
        )

    def may_see_story(self, request, article):
        """Editors and Finance: every story; a contributor: the stories they wrote or carry their byline."""
        user = request.user
        if user.has_perm(PERMISSION):
            return True
        return user.has_perm("articles.view_article") and (
            Article.objects.worked_on_by(user).filter(pk=article.pk).exists()
        )

    def story_view(self, request, article_id):
        article = get_object_or_404(
            Article.objects.only("headline", "slug", "published_at", "status"), pk=article_id
        )
        if not self.may_see_story(request, article):
            return TemplateResponse(request, "admin/readership/denied.html", status=403)
        data = figures.story_figures(article, timezone.now())
        appeals = story_funnel(article)
        appeals["money"] = money(appeals["pence"])
        context = {
            **self.admin_site.each_context(request),
            "title": f"Readership: {article.headline}",
            "opts": self.model._meta,
            "article": article,
            **data,
            "appeals": appeals,
            "hours_chart": charts.columns(
                [(f"{moment:%H}", views) for moment, views in data["hours"]],
                title="Views per hour in its first two days",
            ),
            "days_chart": charts.columns(
                [(f"{day:%d}", views) for day, views in data["days"]], title="Views per day after that"
            ),
            "sources_chart": charts.rows(data["sources"], title="Where its readers came from"),
        }
        return TemplateResponse(request, "admin/readership/story.html", context)

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return TemplateResponse(request, "admin/readership/denied.html", status=403)
        now = timezone.now()
        data = figures.now_figures(now)
        context = {
            **self.admin_site.each_context(request),
            "title": "Readership now",
            "opts": self.model._meta,
            "now": now,
            **data,
            "hours_chart": charts.columns(
                [(f"{moment:%H}", views) for moment, views in data["hours"]], title="Views per hour today"
            ),
            "sources_chart": charts.rows(data["sources"], title="Where today's readers came from"),
        }
        response = TemplateResponse(request, "admin/readership/now.html", context)
        response["Refresh"] = "60"  # the figures are folded every minute
        return response
