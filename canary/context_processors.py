from django.conf import settings

from mailroom.kinds import coop


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "coop": coop_details,
        "READERSHIP_SCRIPT": settings.READERSHIP_SCRIPT,
    }


def coop_details():
    """Who publishes the site, for its footer: the details every email's footer gives, and the
    co-op's own accounts elsewhere. A callable, so a page that shows no footer reads nothing."""
    return {**coop(), "social_links": settings.COOP_SOCIAL_LINKS}
