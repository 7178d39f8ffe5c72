"""A writer keeps their own author page current: picture, role and biography, and nothing else."""

import pytest

from articles.factories import make_author, make_image
from tests.editorial_helpers import signed_in, staff

pytestmark = pytest.mark.django_db


def change_url(author):
    return f"/admin/articles/author/{author.pk}/change/"


@pytest.fixture
def writer():
    user = staff("cora", "Contributor")
    return user, make_author("Cora Mendes", slug="cora-mendes", user=user)


def test_a_contributor_writes_their_own_role_and_biography_and_readers_see_them(writer, client):
    user, author = writer
    picture = make_image(alt_text="Cora at her desk")
    response = signed_in(user).post(
        change_url(author),
        {"role": "Housing reporter", "bio": "Cora covers renting and repairs.", "photo": picture.pk},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(author.get_absolute_url()).content.decode()
    assert "Housing reporter" in page and "Cora covers renting and repairs." in page
    assert "Cora at her desk" in page


def test_the_name_address_and_account_of_a_byline_stay_an_editors_call(writer):
    user, author = writer
    someone = staff("mallory", "Contributor")
    form = signed_in(user).get(change_url(author)).content.decode()
    assert 'name="bio"' in form and 'name="name"' not in form and 'name="user"' not in form
    signed_in(user).post(
        change_url(author),
        {"name": "Someone Famous", "slug": "famous", "user": someone.pk, "role": "Reporter", "bio": ""},
    )
    author.refresh_from_db()
    assert (author.name, author.slug, author.user_id, author.role) == (
        "Cora Mendes",
        "cora-mendes",
        user.pk,
        "Reporter",
    )


def test_a_contributor_cannot_change_another_writers_page(writer):
    user, _ = writer
    other = make_author("Dev Shah", bio="Covers transport.")
    assert signed_in(user).post(change_url(other), {"bio": "Defaced."}).status_code == 403
    other.refresh_from_db()
    assert other.bio == "Covers transport."


def test_the_desk_leads_a_writer_to_their_page(writer):
    user, author = writer
    page = signed_in(user).get("/admin/").content.decode()
    assert f'href="{change_url(author)}"' in page and "edit your picture, role and biography" in page


def test_an_editor_still_edits_every_field_of_any_byline(writer, as_editor):
    _, author = writer
    form = as_editor.get(change_url(author)).content.decode()
    assert 'name="name"' in form and 'name="slug"' in form and 'name="user"' in form
