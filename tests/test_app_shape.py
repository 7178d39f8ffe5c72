"""Every app keeps its parts in the same places, so a newcomer finds them without a map.

Views live in `views.py` or a `views/` package, the admin in `admin.py` or an `admin/` package,
and services in `services.py` or a `services/` package; never in modules beside them named
`*_views.py` or `admin_*.py`.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "mailroom", "articles", "supporters", "newsletters", "readership"]
PARTS = ["views", "admin", "services"]


@pytest.mark.parametrize("app", APPS)
def test_views_admin_and_services_have_one_home(app):
    modules = {path.stem for path in (ROOT / app).glob("*.py")}
    packages = {path.name for path in (ROOT / app).iterdir() if (path / "__init__.py").exists()}
    for part in PARTS:
        assert not (part in modules and part in packages), f"{app} has both {part}.py and {part}/"
        strays = sorted(name for name in modules if name.endswith(f"_{part}") or name.startswith(f"{part}_"))
        assert not strays, f"{app}: {strays} belong in {part}.py or a {part}/ package"


def test_the_check_sees_the_packages_it_guards():
    assert (ROOT / "supporters" / "views" / "__init__.py").exists()
    assert (ROOT / "articles" / "admin" / "__init__.py").exists()
