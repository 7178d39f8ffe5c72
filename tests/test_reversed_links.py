"""Every internal link is reversed from its route's name, so moving a URL is one change.

The fixed prefixes are read from the URLconf itself ("/support/", "/account/", "/tag/", the
admin's path...), and the code and templates are searched for a string that starts with one.
Allowed: migrations, model field defaults, demo data (the seed commands) and tests, as the
developers' guide says; and an old WordPress address handed to ``old_path``, which is the old
site's path, not ours. bench/ and loadtest/ stand outside the site, as browsers do, and are not
read.
"""

import ast
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["core", "mailroom", "articles", "supporters", "newsletters", "readership", "canary"]
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".js"}


def routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern).removeprefix("^")
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def fixed_prefixes():
    """The first segment of each route, as far as it is fixed: "/support/", "/sitemap-", "/healthz"."""
    found = {re.match(r"[\w.~-]*/?", route)[0] for route in routes(get_resolver().url_patterns)}
    return {"/" + fixed for fixed in found if fixed}


def allowed_place(path):
    return "migrations" in path.relative_to(ROOT).parts or path.name.startswith(("seed_", "demo_"))


def allowed_nodes(tree):
    """A model field's ``default=``, and what is handed to old_path() (an old WordPress address,
    the old site's path rather than ours)."""
    held = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        values = [k.value for k in node.keywords if k.arg == "default"]
        if getattr(node.func, "id", None) == "old_path":
            values += node.args
        held |= {id(inner) for value in values for inner in ast.walk(value)}
    return held


def hard_coded_literals(source, prefixes):
    """(line, text) of each string in Python source that starts with one of the prefixes; in an
    f-string, each literal part counts (f"{settings.SITE_URL}/support/" is hard-coded too)."""
    tree = ast.parse(source)
    allowed = allowed_nodes(tree)
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) and id(node) not in allowed else None
        if isinstance(text, str) and text.startswith(tuple(prefixes)):
            yield node.lineno, text[:60]


def hard_coded_paths(text, prefixes):
    """(line, text) of each path in a template or script that starts with one of the prefixes:
    where a link starts (after a quote, "=", "(", a space, ">" or "}}"), not inside an absolute
    address (https://example.org/support/) or a longer path (static/js/...)."""
    pattern = re.compile(r"(?<![\w.:/~-])(" + "|".join(re.escape(p) for p in sorted(prefixes)) + ")")
    for number, line in enumerate(text.splitlines(), 1):
        for match in pattern.finditer(line):
            yield number, line[match.start() : match.start() + 60]


def code_files():
    for package in PACKAGES:
        yield from (path for path in sorted((ROOT / package).rglob("*.py")) if not allowed_place(path))


def template_files():
    for folder in (ROOT / "templates", ROOT / "static" / "js"):
        yield from (p for p in sorted(folder.rglob("*")) if p.suffix in TEMPLATE_SUFFIXES and p.is_file())


def test_the_prefixes_come_from_the_urlconf():
    prefixes = fixed_prefixes()
    assert {"/support/", "/account/", "/tag/", "/search/", "/newsletters/", "/healthz"} <= prefixes
    # The article's own address starts with its year: no fixed prefix to look for.
    assert not any(prefix[1:2].isdigit() for prefix in prefixes)


def test_no_code_holds_a_hard_coded_internal_path():
    prefixes = fixed_prefixes()
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in code_files()
        for line, text in hard_coded_literals(path.read_text(), prefixes)
    ]
    assert not found, "Reverse these from the route's name (reverse(), core.links.link):\n" + "\n".join(found)


def test_no_template_or_script_holds_a_hard_coded_internal_path():
    prefixes = fixed_prefixes()
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in template_files()
        for line, text in hard_coded_paths(path.read_text(), prefixes)
    ]
    assert not found, (
        "Use url('app:name') in templates; give a script its address in a data- attribute:\n"
        + "\n".join(found)
    )


def test_the_scan_catches_a_new_hard_coded_link_and_passes_a_reversed_one():
    prefixes = fixed_prefixes()
    source = (
        'a = f"/account/{pk}/"\n'
        'b = f"{settings.SITE_URL}/support/"\n'
        'c = reverse("supporters:account")\n'
        'd = old_path(f"/tag/{slug}/")\n'
        'e = models.CharField(default="/support/")\n'
        'f = "https://example.org/support/"\n'
    )
    assert [line for line, _ in hard_coded_literals(source, prefixes)] == [1, 2]
    template = (
        '<a href="/support/">\n<a href="{{ SITE_URL }}/account/">\nhttps://example.org/tag/x/\n{{ url("x") }}'
    )
    assert [line for line, _ in hard_coded_paths(template, prefixes)] == [1, 2]
