from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from articles.factories import make_article


def test_tag_box_offers_existing_tags(page, transactional_db):
    make_article("Story", tags=["Housing"])
    editor = get_user_model().objects.create_user(
        "ed", "ed@example.com", "a-long-test-password-1", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Editor"))
    page.goto("/admin/login/?next=/admin/articles/article/add/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Log in").click()
    tags = page.locator("input[data-suggest-url]")
    tags.fill("Rent strike, hou")
    expect(page.locator(f"#{tags.get_attribute('id')}-suggestions option")).to_have_attribute(
        "value", "Rent strike, Housing, "
    )
