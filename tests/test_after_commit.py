"""Effects outside the database wait for the commit: the cached navigation and appeals are
forgotten then, so a reader between the change and the commit cannot keep the old copy."""

import pytest
from django.core.cache import cache
from django.db import transaction

from articles import navigation
from articles.factories import make_section
from supporters import appeals
from supporters.models import CallToAction

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_navigation_cached_again_before_the_commit_is_forgotten_at_the_commit():
    section = make_section("Housing")
    assert [s["name"] for s in navigation.navigation()["sections"]] == ["Housing"]
    with transaction.atomic():
        section.name = "Homes"
        section.save()
        # A reader on another connection still sees the old name until the commit, and caches it.
        cache.set(navigation.KEY, {"sections": [{"name": "Housing", "url": "/"}], "pages": []})
    assert [s["name"] for s in navigation.navigation()["sections"]] == ["Homes"]


def test_a_change_rolled_back_keeps_the_cached_navigation():
    make_section("Housing")
    navigation.navigation()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_section("Sport")
        raise RuntimeError
    assert cache.get(navigation.KEY) is not None


def test_appeals_cached_again_before_the_commit_are_forgotten_at_the_commit():
    appeals.everything()
    stale = cache.get(appeals.KEY)
    with transaction.atomic():
        CallToAction.objects.create(
            name="Spring", placement=CallToAction.Placement.choices[0][0], headline="Give today"
        )
        cache.set(appeals.KEY, stale)
    assert cache.get(appeals.KEY) is None
