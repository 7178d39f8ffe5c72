"""The newsroom's own words in the admin: plain names, not Django's or a library's."""

import pytest

from supporters.models import CallToAction

pytestmark = pytest.mark.django_db
ADD = "/admin/supporters/calltoaction/add/"


def test_the_admin_menu_names_tags_plainly_not_after_the_library(as_editor):
    page = as_editor.get(ADD).content.decode()
    assert "Taggit" not in page and ">Tags<" in page


def test_list_and_edit_pages_are_titled_in_plain_words(as_editor):
    appeal = CallToAction.objects.create(name="Winter", placement="end", headline="Give")
    listing = as_editor.get("/admin/supporters/calltoaction/").content.decode()
    assert "<h1>Calls to action</h1>" in listing and "Select call to action" not in listing
    editing = as_editor.get(f"/admin/supporters/calltoaction/{appeal.pk}/change/").content.decode()
    assert "<h1>Edit call to action</h1>" in editing and "<title>Winter | Edit call to action" in editing
    assert "<h1>Newsroom</h1>" in as_editor.get("/admin/").content.decode()
