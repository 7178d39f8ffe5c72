from .models import Page, Section


def navigation(request):
    """Sections for the navigation and pages for the footer, fetched only if a template asks."""
    return {
        "nav_sections": lambda: list(Section.objects.all()),
        "footer_pages": lambda: list(Page.objects.filter(in_footer=True).only("title", "slug")),
    }
