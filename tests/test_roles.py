import pytest
from django.contrib.auth.models import Group

from canary import roles

pytestmark = pytest.mark.django_db


def test_fresh_database_has_every_role():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Contributor",
        "Editor",
        "Moderator",
        "Finance",
    }


@pytest.mark.parametrize("role", list(roles.ROLES))
def test_each_role_has_exactly_its_declared_permissions(role):
    group = Group.objects.get(name=role)
    granted = {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }
    assert granted == set(roles.ROLES[role])


def test_every_declared_permission_exists():
    for codenames in roles.ROLES.values():
        _, missing = roles.permissions_for(codenames)
        assert missing == []


def test_editor_can_publish_but_contributor_cannot():
    assert "articles.publish_article" in roles.ROLES["Editor"]
    assert "articles.publish_article" not in roles.ROLES["Contributor"]


def test_sync_restores_a_permission_removed_by_hand():
    editor = Group.objects.get(name="Editor")
    editor.permissions.clear()
    roles.sync_roles()
    assert editor.permissions.count() == len(roles.ROLES["Editor"])
