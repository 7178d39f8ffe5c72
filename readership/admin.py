"""Readership in the admin: pictures first. The tallies' list is the "Now" page."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone

from . import charts, figures
from .models import Tally

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
