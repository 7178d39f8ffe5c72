"""The public side of the lists: every public newsletter, its archive, and each sent issue."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import Newsletter


@require_GET
def index(request):
    letters = Newsletter.objects.public().filter(audience=Newsletter.Audience.EVERYONE)
    return render(request, "newsletters/index.html", {"newsletters": letters})


@require_GET
def archive(request, slug):
    newsletter = get_object_or_404(Newsletter.objects.public(), slug=slug)
    if newsletter.members_only:
        raise Http404("Members' letters have no public archive.")
    issues = (
        newsletter.issues.sent()
        .only("pk", "subject", "finished_at", "newsletter_id")
        .order_by("-finished_at")
    )
    return render(request, "newsletters/archive.html", {"newsletter": newsletter, "issues": issues})


@require_GET
def issue_page(request, slug, pk):
    """A sent issue of a public newsletter, as it went out, less its email-only text."""
    newsletter = get_object_or_404(Newsletter.objects.public(), slug=slug)
    if newsletter.members_only:
        raise Http404("Members' letters have no public archive.")
    issue = get_object_or_404(newsletter.issues.sent(), pk=pk)
    stories = issue.stories.select_related("picture")
    return render(
        request, "newsletters/issue.html", {"newsletter": newsletter, "issue": issue, "stories": stories}
    )
