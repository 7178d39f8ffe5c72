"""A newsletter's archive lives at /newsletters/<slug>/: a slug the newsletters' own pages hold
would give it an archive nobody could reach, so such a slug is refused with a word."""

import pytest
from django.core.exceptions import ValidationError

from newsletters import urls
from newsletters.models import Newsletter
from newsletters.models.lists import RESERVED_SLUGS


def test_every_fixed_first_part_of_a_newsletters_page_is_reserved():
    fixed = {str(pattern.pattern).split("/")[0] for pattern in urls.urlpatterns}
    fixed = {part for part in fixed if part and "<" not in part}
    assert fixed and fixed <= RESERVED_SLUGS


@pytest.mark.django_db
def test_a_newsletter_cannot_take_the_address_of_a_newsletters_page():
    letter = Newsletter(name="Go", slug="go")
    with pytest.raises(ValidationError) as refused:
        letter.full_clean()
    assert "taken by one of the newsletters' own pages" in str(refused.value)
    Newsletter(name="Go further", slug="go-further").full_clean()
