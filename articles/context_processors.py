from .navigation import navigation


def navigation_links(request):
    """Sections for the navigation and static pages for the footer, fetched only if a template asks."""
    return {
        "nav_sections": lambda: navigation()["sections"],
        "footer_pages": lambda: navigation()["pages"],
    }
