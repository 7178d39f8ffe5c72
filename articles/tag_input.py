"""How the admin's tag box is read (taggit's TAGGIT_TAGS_FROM_STRING)."""

from taggit.models import Tag
from taggit.utils import _parse_tags

from .models.tags import clean_tag_name

TAG_NAME_LIMIT = Tag._meta.get_field("name").max_length


def tags_from_string(text):
    """taggit's own reading, except that text with no comma is one tag, and names cleaned.

    taggit splits comma-free text at spaces, so "Rent strikes" typed alone became two tags,
    "Rent" and "strikes". Tags here are names of several words as often as not. With a comma or
    a quote in the text, taggit's rules apply unchanged.
    """
    names = _parse_tags(text) if "," in text or '"' in text else [text]
    # Invisible characters go (clean_tag_name); a look-alike of a tag becomes that tag on save.
    return [name for name in map(clean_tag_name, names) if name]


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
