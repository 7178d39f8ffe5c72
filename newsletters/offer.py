"""What the shared sign-up form offers: the public newsletters for everyone.

The form sits on cached pages that every reader shares, so it can offer nothing per reader:
members-only letters are offered on the account page instead. The list is a site-wide piece
(core.site_parts), fetched with the navigation and appeals in one cache read, and dropped
whenever a newsletter changes.
"""

from core import site_parts

KEY = "newsletters:offer:v2"


def _load():
    from .models import Newsletter

    return [
        {
            "id": letter.pk,
            "name": letter.name,
            "slug": letter.slug,
            "description": letter.description,
            "how_often": letter.how_often(),
        }
        for letter in Newsletter.objects.public().filter(audience=Newsletter.Audience.EVERYONE)
    ]


site_parts.register(KEY, _load, 3600)


def public_offer():
    return site_parts.read(KEY)


def forget(**kwargs):
    site_parts.forget(KEY)
