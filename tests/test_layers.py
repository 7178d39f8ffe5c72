"""The parts of Canary and the arrows allowed between them, read from the code itself.

The project package sits over everything; `supporters` may use `articles`; `newsletters` may
use both, and a readership app those three; every app may use `mailroom` and the shared
layer `core`; `mailroom` and `core` use nothing of ours. Imports inside functions count too:
a lazy import is still an arrow.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "mailroom", "articles", "supporters", "newsletters", "readership", "canary"]
BOTTOM = {"core", "mailroom"}
ALLOWED = {
    "core": set(),
    "mailroom": set(),
    "articles": BOTTOM,
    "supporters": BOTTOM | {"articles"},
    "newsletters": BOTTOM | {"articles", "supporters"},
    "readership": BOTTOM | {"articles", "supporters", "newsletters"},
    "canary": set(APPS),
}


def imported_modules(path):
    """Every module a file imports, absolute, wherever in the file the import is."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: -node.level]
                yield ".".join([*base, node.module] if node.module else base)
            else:
                yield node.module


def arrows():
    """(from part, to part, file) for every import from one of our parts into another."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            for module in imported_modules(path):
                target = module.split(".")[0]
                if target in APPS and target != app:
                    yield app, target, path.relative_to(ROOT)


def test_every_import_between_parts_follows_an_allowed_arrow():
    wrong = sorted(
        {
            f"{source} -> {target} ({path})"
            for source, target, path in arrows()
            if target not in ALLOWED[source]
        }
    )
    assert wrong == []


def test_the_parts_are_there_and_the_check_sees_their_imports():
    seen = {(source, target) for source, target, _ in arrows()}
    assert ("supporters", "articles") in seen and ("articles", "core") in seen
    assert ("articles", "mailroom") in seen and ("canary", "articles") in seen
