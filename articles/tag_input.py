"""How the admin's tag box is read (taggit's TAGGIT_TAGS_FROM_STRING)."""

from taggit.utils import _parse_tags


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
