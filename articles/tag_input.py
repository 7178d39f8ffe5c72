"""How the admin's tag box is read (taggit's TAGGIT_TAGS_FROM_STRING)."""

from taggit.models import Tag
from taggit.utils import _parse_tags

TAG_NAME_LIMIT = Tag._meta.get_field("name").max_length


def tags_from_string(text):
    """taggit's own reading, except that text with no comma is one tag.

    taggit splits comma-free text at spaces, so "Rent strikes" typed alone became two tags,
    "Rent" and "strikes". Tags here are names of several words as often as not. With a comma or
    a quote in the text, taggit's rules apply unchanged.
    """
    if "," in text or '"' in text:
        return _parse_tags(text)
    name = " ".join(text.split())
    return [name] if name else []


def tag_name_problem(name):
    """Why a typed tag cannot be one, or None.

    A tag's page lives at /tag/<slug>/, and a name with no letter or number ("!!!") has no slug
    to put there. Names longer than the column would fail at the database, losing the edit.
    """
    if not any(character.isalnum() for character in name):
        return f"“{name}” is not a tag: a tag needs at least one letter or number."
    if len(name) > TAG_NAME_LIMIT:
        return f"Tags are at most {TAG_NAME_LIMIT} characters; “{name[:30]}…” has {len(name)}."
    return None
