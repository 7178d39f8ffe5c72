"""The call-to-action form's helpers: the live preview and the sections and tags suggestions."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from taggit.models import Tag

from articles.models import Section

from ..models import CallToAction

PREVIEW = "supporters/appeal_preview.html"
MOST_SUGGESTIONS = 10


def _may_edit(model_admin, request):
    return model_admin.has_change_permission(request) or model_admin.has_add_permission(request)


def _field_text(request, name):
    limit = CallToAction._meta.get_field(name).max_length
    return request.POST.get(name, "").strip()[:limit]


def appeal_from(request):
    """The appeal as the form holds it now, unsaved: only the words and where it goes."""
    placement = request.POST.get("placement", "")
    if placement not in CallToAction.Placement.values:
        placement = CallToAction.Placement.END
    try:
        after = max(0, min(int(request.POST.get("after_paragraph", "")), 20))
    except ValueError:
        after = 4
    return {
        "id": 0,
        "placement": placement,
        "headline": _field_text(request, "headline") or "Your headline",
        "text": _field_text(request, "text"),
        "button_label": _field_text(request, "button_label") or "Support us",
        "after_paragraph": after,
        "weight": 1,
    }


def preview_view(model_admin):
    def preview(request):
        """The appeal drawn in the readers' stylesheet at its place on a page, for the form's frame."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not _may_edit(model_admin, request):
            raise PermissionDenied
        call = appeal_from(request)
        html = render_to_string(
            PREVIEW, {"call": call, "calls": [call], "placement": call["placement"]}, request=request
        )
        return HttpResponse(html)

    return preview


# What each box suggests as the editor types: the most used tags first, sections in menu order.
SUGGESTIONS = {
    "tags": lambda term: (
        Tag.objects.filter(name__icontains=term)
        .annotate(uses=Count("articles_articletag_items"))
        .order_by("-uses", "name")
    ),
    "sections": lambda term: Section.objects.filter(name__icontains=term).order_by("position", "name"),
}


def suggestions_view(model_admin):
    def suggestions(request, kind):
        """Existing sections or tags whose names hold what was typed: ten at most."""
        if kind not in SUGGESTIONS:
            raise Http404("Suggestions are of tags or of sections.")
        if not _may_edit(model_admin, request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()[:50]
        names = (
            list(SUGGESTIONS[kind](term).values_list("name", flat=True)[:MOST_SUGGESTIONS]) if term else []
        )
        # The key tag-suggest.js reads, whatever the names are of.
        return JsonResponse({"tags": names})

    return suggestions
