"""Tags that look alike are one tag, and no tag carries invisible characters.

"Café" typed with a combining accent, "RENT" and "rent", "ΟΔΟΣ" and "οδος", "Rent\u200bstrike"
with a zero-width space: a reader sees one word, so there is one tag, whichever way it came in
(the admin's tag box, the WordPress importer, any save of a tag). Right-to-left overrides and
other bidi controls are stripped, so a tag reads as what it is.
"""

import io
import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from taggit.models import Tag

from articles.factories import make_article
from articles.models import Article
from tests.editorial_helpers import CHANGE, article_form, form_errors, staff

SITE = Path(__file__).parent / "wxr" / "site.xml"
NFD_CAFE = unicodedata.normalize("NFD", "Café")
LOOK_ALIKES = [
    ("Café", NFD_CAFE),
    ("Rent strike", "RENT STRIKE"),
    ("Rent strike", "Rent\u200b strike\u2060"),
    ("οδος", "ΟΔΟΣ"),  # casefold: the final sigma is a sigma
    ("Straße", "STRASSE"),
]


@pytest.fixture
def as_editor(db):
    client = Client()
    client.force_login(staff("ed", "Editor"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second"), LOOK_ALIKES)
def test_a_look_alike_typed_in_the_admin_is_the_existing_tag(as_editor, anonymous, first, second):
    earlier = make_article("Earlier", tags=[first])
    article = make_article("Later")
    response = as_editor.post(CHANGE.format(article.pk), article_form(article, tags=f"{second}, Housing"))
    assert response.status_code == 302, form_errors(response)
    tag = Tag.objects.get(name=first)
    assert set(article.tags.names()) == {first, "Housing"}
    assert Tag.objects.count() == 2
    page = anonymous.get(f"/tag/{tag.slug}/").content.decode()
    assert "Earlier" in page and "Later" in page
    assert earlier.tags.get() == tag


@pytest.mark.django_db
def test_bidi_controls_are_stripped_from_a_typed_tag(as_editor, anonymous):
    article = make_article("Council cuts")
    spoof = "\u202egpj.\u202c Housing\u200f"
    response = as_editor.post(CHANGE.format(article.pk), article_form(article, tags=spoof))
    assert response.status_code == 302, form_errors(response)
    assert list(article.tags.names()) == ["gpj. Housing"]
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert "\u202e" not in page and "gpj. Housing" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second"), LOOK_ALIKES)
def test_saving_a_look_alike_tag_is_refused_whatever_saves_it(first, second):
    Tag.objects.create(name=first)
    with pytest.raises(ValidationError, match="looks like the existing tag"):
        Tag.objects.create(name=second)
    renamed = Tag.objects.create(name="Other")
    renamed.name = second
    with pytest.raises(ValidationError, match="looks like the existing tag"):
        renamed.save()
    assert Tag.objects.create(name="\u202eHousing\u202c\u200b").name == "Housing"


@pytest.mark.django_db
def test_tags_set_in_code_land_on_the_look_alike():
    article = make_article("Tagged in code", tags=["Café"])
    article.tags.set([NFD_CAFE, "café", "CAFÉ\u200d"])
    assert list(article.tags.names()) == ["Café"]
    assert Tag.objects.count() == 1


@pytest.mark.django_db
def test_the_importer_makes_look_alike_tags_one_tag(tmp_path):
    make_article("Already here", tags=["Tenants’ Union"])
    export = tmp_path / "export.xml"
    text = SITE.read_text().replace("<![CDATA[Rent]]>", "<![CDATA[\u202eRENT\u202c]]>")
    text = text.replace("<![CDATA[Strikes]]>", "<![CDATA[Rent]]>")
    export.write_text(text.replace("<![CDATA[Tenants' union]]>", "<![CDATA[TENANTS’ UNION\u200b]]>"))
    call_command("import_wordpress", str(export), stdout=io.StringIO())
    names = set(Tag.objects.values_list("name", flat=True))
    assert "Tenants’ Union" in names and not any("\u200b" in name or "\u202e" in name for name in names)
    assert len([name for name in names if name.casefold() == "rent"]) == 1
    rent = next(tag for tag in Tag.objects.all() if tag.name.casefold() == "rent")
    assert set(Article.objects.filter(tags=rent).values_list("wordpress_id", flat=True)) == {101, 102}


# --- Tags made before: the data migration ---------------------------------------------------

BEFORE = [("articles", "0010_list_indexes_sorted_by_id")]
AFTER = [("articles", "0011_merge_look_alike_tags")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_look_alikes_made_before_are_merged_and_their_addresses_answer_301(client):
    apps = migrate(BEFORE)
    try:
        Tag = apps.get_model("taggit", "Tag")
        ArticleTag = apps.get_model("articles", "ArticleTag")
        Section = apps.get_model("articles", "Section")
        section = Section.objects.create(name="News", slug="news")

        def article(slug):
            return apps.get_model("articles", "Article").objects.create(
                headline=slug, slug=slug, standfirst="s", section=section, status="published"
            )

        rent, shouting, hidden = (
            Tag.objects.create(name="Rent", slug="rent"),
            Tag.objects.create(name="RENT", slug="rent_1"),
            Tag.objects.create(name="Re\u200bnt", slug="rent_2"),
        )
        spoof = Tag.objects.create(name="\u202eHousing", slug="housing")
        first, second, third = article("first"), article("second"), article("third")
        for story, tag in [
            (first, rent),
            (second, shouting),
            (second, rent),
            (third, hidden),
            (third, spoof),
        ]:
            ArticleTag.objects.create(content_object=story, tag=tag)

        apps = migrate(AFTER)
        Tag = apps.get_model("taggit", "Tag")
        assert sorted(Tag.objects.values_list("name", "slug")) == [("Housing", "housing"), ("Rent", "rent")]
        tagged = apps.get_model("articles", "ArticleTag").objects.filter(tag__slug="rent")
        assert sorted(tagged.values_list("content_object__slug", flat=True)) == ["first", "second", "third"]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    for old in ("/tag/rent_1/", "/tag/rent_2/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/tag/rent/")
