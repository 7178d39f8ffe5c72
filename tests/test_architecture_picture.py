"""docs/architecture-layers.svg is drawn from the code: it must be what the drawing script makes
from tests/test_layers.py's table and today's imports, so the picture cannot drift from the
layers the suite holds."""

from tests import draw_layers


def test_the_committed_picture_is_the_one_the_code_draws_today():
    assert draw_layers.PICTURE.read_text() == draw_layers.picture(), (
        "docs/architecture-layers.svg is out of date: run python -m tests.draw_layers"
    )


def test_the_picture_draws_every_part_and_every_allowed_arrow():
    svg = draw_layers.picture()
    for app in draw_layers.column():
        assert f">{app}/</text>" in svg
    assert "supporters imports articles: used" in svg
    assert "articles imports supporters" not in svg
    assert "core imports" not in svg and "mailroom imports" not in svg


def test_an_import_the_table_forbids_is_drawn_red():
    imports = [("supporters", "articles"), ("articles", "supporters")]
    svg = draw_layers.picture(imports)
    assert "articles imports supporters: forbidden" in svg
    assert "newsletters imports supporters: allowed" in svg
