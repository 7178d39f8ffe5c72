"""No file of code over 400 lines: a longer one holds more than one thing, so split it by what it holds.

Every .py file of the checkout counts (apps, project, tests, bench, loadtest), with no list of
exceptions; only Django's generated migrations and what is not ours (the venv, Git, a build or
var folder) are left out.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400
NOT_OURS = {".venv", ".git", "build", "var", "node_modules", "migrations", "__pycache__"}


def code_files():
    for path in ROOT.rglob("*.py"):
        if not NOT_OURS.intersection(path.relative_to(ROOT).parts[:-1]):
            yield path


def test_the_check_sees_the_code_it_guards():
    seen = {str(path.relative_to(ROOT)) for path in code_files()}
    assert {
        "canary/settings.py",
        "articles/views/pages.py",
        "tests/test_file_sizes.py",
        "loadtest/run.py",
    } <= seen
    assert not any("/migrations/" in name or name.startswith(".venv/") for name in seen)


def test_no_file_of_code_is_over_400_lines():
    too_long = {}
    for path in code_files():
        with path.open(encoding="utf-8") as lines:
            count = sum(1 for _ in lines)
        if count > LIMIT:
            too_long[str(path.relative_to(ROOT))] = count
    assert not too_long, f"over {LIMIT} lines, split by what each holds: {dict(sorted(too_long.items()))}"
