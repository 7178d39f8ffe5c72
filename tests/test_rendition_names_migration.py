"""Migration 0012 turns the rendition addresses stored before it into storage names, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0011_merge_look_alike_tags")]
AFTER = [("articles", "0012_rendition_names")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0011():
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_stored_addresses_become_names_and_strangers_are_forgotten(at_0011):
    Image = at_0011.get_model("articles", "Image")
    addressed = Image.objects.create(
        file="images/2025/01/a b.jpg",
        alt_text="Addressed",
        renditions={
            "webp": [[360, "/media/images/2025/01/a%20b-360w.webp"]],
            "fallback": [[360, "/media/images/2025/01/a%20b-360w.jpg"]],
            "social": "/media/images/2025/01/a%20b-social.jpg",
        },
    )
    stranger = Image.objects.create(
        file="images/2025/01/c.jpg",
        alt_text="Made under another MEDIA_URL",
        renditions={"webp": [[360, "https://old-cdn.example.org/c-360w.webp"]], "fallback": []},
    )
    bare = Image.objects.create(file="images/2025/01/d.jpg", alt_text="No renditions yet")

    apps = migrate(AFTER)
    Image = apps.get_model("articles", "Image")
    assert Image.objects.get(pk=addressed.pk).renditions == {
        "webp": [[360, "images/2025/01/a b-360w.webp"]],
        "fallback": [[360, "images/2025/01/a b-360w.jpg"]],
        "social": "images/2025/01/a b-social.jpg",
    }
    # Its pages show the upload until `manage.py make_renditions` has the worker make them again.
    assert Image.objects.get(pk=stranger.pk).renditions == {}
    assert Image.objects.get(pk=bare.pk).renditions == {}

    apps = migrate(BEFORE)
    Image = apps.get_model("articles", "Image")
    assert Image.objects.get(pk=addressed.pk).renditions["social"] == "/media/images/2025/01/a%20b-social.jpg"
