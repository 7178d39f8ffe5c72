"""The tag box suggests existing tags as an editor types."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from articles.factories import make_article

pytestmark = pytest.mark.django_db
URL = "/admin/articles/article/tag-suggestions/"


@pytest.fixture
def editor_client():
    user = get_user_model().objects.create_user("ed", "ed@example.com", "pw-long-enough-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client = Client()
    client.force_login(user)
    return client


def test_most_used_matching_tags_come_first(editor_client):
    make_article("One", tags=["Housing", "Rent strike"])
    make_article("Two", tags=["Housing"])
    make_article("Three", tags=["Council housing"])
    assert editor_client.get(URL, {"q": "hous"}).json() == {"tags": ["Housing", "Council housing"]}


def test_the_article_form_wires_the_box_to_the_suggestions(editor_client):
    page = editor_client.get("/admin/articles/article/add/").content.decode()
    assert f'data-suggest-url="{URL}"' in page
    assert "js/tag-suggest.js" in page


def test_readers_cannot_list_tags_through_the_admin(client):
    assert client.get(URL, {"q": "hous"}).status_code == 302
