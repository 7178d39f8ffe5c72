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


PACKAGES = [app for app in APPS if (ROOT / app).is_dir()]


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_graph():
    """{module: the modules of ours it imports}. ``from a import b`` names the module a.b when
    there is one, else a; a module importing a package it lives in is no edge (Python runs
    the parent first, whatever the child says)."""
    paths = {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        is_package = path.name == "__init__.py"
        package = name if is_package else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(), str(path))
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join([*base, node.module] if node.module else base)
                else:
                    module = node.module
                for alias in node.names:
                    child = f"{module}.{alias.name}"
                    targets.add(child if child in paths else module)
        graph[name] = {
            target
            for target in targets
            if target in paths and target != name and not name.startswith(target + ".")
        }
    return graph


def cycles(graph):
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_module_of_ours_imports_itself_round_a_circle():
    assert cycles(module_graph()) == []


def test_the_circle_check_sees_a_circle_and_lazy_imports():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    graph = module_graph()
    # mailroom.services imports its task inside a function: still an edge.
    assert "mailroom.tasks" in graph["mailroom.services"]
    assert "articles.models.article" in graph["articles.models"]
    assert "articles" not in graph["articles.models.article"]
