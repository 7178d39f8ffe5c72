"""Names that imitate the newsroom: its staff, its authors, its roles and the site's own name.

Names are compared as skeletons: NFKC, accents and invisible characters dropped, letters that
look alike (Cyrillic "е", "0" for "o", "rn" for "m") folded to one, case folded, and the words
split at punctuation, spaces and camelCase. A protected name matches with or without the
spaces between its letters ("E.d.i.t.o.r"), but only as whole words: "Staffordshire" and
"creditor" are no one's title.
"""

import re
import unicodedata
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model

from .models import Author

# Words that claim a place in the newsroom. Long ones match inside other words too ("TheNewsroom").
ROLE_WORDS = ("editor", "editorial", "staff", "staffer", "admin", "administrator", "moderator", "newsroom")
INSIDE_WORDS = ("moderator", "administrator", "newsroom")
SHORTEST_NAME = 4  # letters: shorter staff names ("Jo") would catch half the readers

# Cyrillic and Greek letters drawn like Latin ones (after casefold), then digits and signs that
# stand in for letters, and "i" and "l" made one since "1", "|" and "!" stand for either.
LOOKALIKES = str.maketrans(
    "авсдеһіјкмнорѕтуѵхԁԛԝӏ" + "αβεικνορτυχωϲ" + "0134578$@|!ıiſ",
    "abcdehljkmhopstyvxdqwl" + "abelkvoptuxwc" + "oleastbsalllls",
)
CAMEL_CASE = re.compile(r"(?<=[^\W\d_])(?<![A-Z])(?=[A-Z])")


def skeleton(text):
    """A name reduced to how it looks: lowercase words of folded letters, one space between."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(
        c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) not in ("Mn", "Cf")
    )
    text = CAMEL_CASE.sub(" ", text).casefold().translate(LOOKALIKES)
    text = text.replace("rn", "m").replace("vv", "w")
    return " ".join(re.findall(r"[^\W_]+", text))


def pattern(name, whole_words=True):
    """A regular expression for a protected name's letters, spaces between them optional."""
    letters = skeleton(name).replace(" ", "")
    body = " ?".join(re.escape(letter) for letter in letters)
    return rf"(?<!\w){body}s?(?!\w)" if whole_words else body


@cache
def role_patterns(site_name):
    site = skeleton(site_name)
    names = [(site.removeprefix("the "), True), (site, False)]
    return [
        *(pattern(word, whole_words=word not in INSIDE_WORDS) for word in ROLE_WORDS),
        *(pattern(name, whole) for name, whole in names if len(name.replace(" ", "")) >= SHORTEST_NAME),
    ]


def people_names():
    """The names of staff accounts and authors, each also surname first."""
    staff = get_user_model().objects.filter(is_staff=True)
    names = [f"{first} {last}" for first, last in staff.values_list("first_name", "last_name")]
    names += Author.objects.values_list("name", flat=True)
    for name in names:
        words = skeleton(name).split()
        if len("".join(words)) >= SHORTEST_NAME:
            yield " ".join(words)
            if len(words) > 1:
                yield " ".join([words[-1], *words[:-1]])


def imitates_staff(name, user=None):
    """Whether a commenter's or supporter's name could pass for the newsroom's.

    Staff are the newsroom: a staff user's own comments are not imitation (whether they show
    at once is decided with their trust).
    """
    if user is not None and user.is_authenticated and user.is_staff:
        return False
    shown = skeleton(name)
    patterns = [*role_patterns(settings.SITE_NAME), *(pattern(other) for other in people_names())]
    return any(re.search(expression, shown) for expression in patterns)
