"""Every command the docs name runs in CI, at least in a smoke form, or the docs mark it manual.

The commands are read from README.md and docs/*.md, from code only (inline `code` and fenced
blocks), in three forms: `make <target>`, `manage.py <command>` and `python -m <module>`. Each
must either be in SMOKE, naming a test that runs it (the test must exist), or be named in a
note of the docs that starts with *Manual:* and says why it is not run here.
"""

import ast
import re
import shutil
import subprocess

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
CODE = re.compile(r"```[^\n]*\n(.*?)```|`([^`\n]+)`", re.S)
FORMS = (
    ("make", re.compile(r"(?:^|[\s;(])make ([a-z][a-z-]*)")),
    ("manage.py", re.compile(r"manage\.py ([a-z_]+)")),
    ("python -m", re.compile(r"python3? -m ([a-z_][\w.]*)")),
)
MANUAL = re.compile(r"^\s*(?:>\s*)?\*Manual:\*(.+?)(?:\n\s*\n|\Z)", re.S | re.M)

# The command, and the test that runs it (or, for a make target, the manage.py command or
# module its recipe runs) in CI.
SMOKE = {
    "make test": "tests/test_doc_commands.py::test_ci_runs_the_readmes_test_command",
    "make lint": "tests/test_doc_commands.py::test_make_test_runs_everything_make_lint_does",
    "make run": "tests/test_first_run.py::test_the_run_server_serves_designed_pages_logs_one_format_and_stops_cleanly",
    "make backup": "tests/test_backup.py::test_backup_writes_the_database_media_and_a_manifest_to_a_dated_folder",
    "make restore": "tests/test_backup.py::test_a_restored_backup_has_every_article_comment_donation_and_picture",
    "make cluster": "tests/test_cluster.py::test_ci_runs_the_short_rehearsal_after_the_tests",
    "manage.py check": "tests/test_settings.py::test_deploy_checks_pass_with_production_variables",
    "manage.py clock": "tests/test_clock.py::test_clock_once_ticks_for_cron",
    "manage.py collectstatic": "tests/test_http_caching.py::test_whitenoise_serves_hashed_static_files_for_a_year_immutable",
    "manage.py commenter_data": "tests/test_comment_moderation.py::test_commenter_data_is_exported_and_erased_by_email",
    "manage.py db_worker": "tests/test_newsletter_workers.py::test_two_workers_deliver_a_send_of_2000_to_each_reader_exactly_once",
    "manage.py import_wordpress": "tests/test_wordpress_import_runs.py::test_a_dry_run_writes_nothing",
    "manage.py import_supporters": "tests/test_supporter_import.py::test_a_dry_run_reports_and_changes_nothing",
    "manage.py import_subscribers": "tests/test_subscriber_import.py::test_dry_run_writes_nothing",
    "python -m bench.newsletter_import": "tests/test_subscriber_import_bench.py::test_the_import_benchmark_runs_on_a_small_file",
    "manage.py seed_newsletters": "tests/test_newsletter_demo.py::test_the_demo_has_two_letters_confirmed_readers_and_one_sent_digest_and_loads_once",
    "manage.py send_digest": "tests/test_newsletter_digest.py::test_the_digest_is_skipped_when_nothing_is_new_unless_forced",
    "python -m django": (
        "tests/test_wheel.py::test_the_installed_wheel_checks_migrates_and_serves_the_demo_from_outside_the_checkout"
    ),
    "manage.py migrate": "tests/test_planner.py::test_every_migrate_gives_the_query_planner_fresh_statistics",
    "manage.py readership": "tests/test_readership_counting.py::test_the_command_prints_todays_views_with_counts_not_yet_folded",
    "manage.py backup": "tests/test_backup.py::test_a_backup_without_media_restores_and_leaves_the_buckets_files_alone",
    "manage.py restore": "tests/test_backup.py::test_a_restored_backup_has_every_article_comment_donation_and_picture",
    "manage.py make_renditions": "tests/test_media_storage.py::test_make_renditions_queues_the_images_without_them_for_the_worker",
    "manage.py seed_readership": (
        "tests/test_readership_demo.py::test_the_demo_has_a_day_of_counts_that_the_list_and_the_charts_show_and_loads_once"
    ),
    "manage.py rebuild_search_index": "tests/test_search.py::test_the_rebuild_command_catches_up_after_a_bulk_update",
    "manage.py sweep_outbox": "tests/test_mail.py::test_the_worker_command_runs_tasks_and_sweep_outbox_sweeps_once",
    "manage.py worker": "tests/test_mail.py::test_the_worker_command_runs_tasks_and_sweep_outbox_sweeps_once",
    "python -m bench.archive": "tests/test_doc_commands_smoke.py::test_the_archive_benchmark_runs_on_a_tiny_archive",
    # bench.archive runs it for each of WP_SIZES (the smoke test's is 5 posts).
    "python -m bench.wordpress": "tests/test_doc_commands_smoke.py::test_the_archive_benchmark_runs_on_a_tiny_archive",
    "manage.py seed_supporters": "tests/test_demo_supporters.py::test_the_demo_gives_a_second_time_nothing",
    "python -m bench.newsletter_send": (
        "tests/test_doc_commands_smoke.py::test_the_newsletter_send_benchmark_runs_on_a_tiny_list"
    ),
    "python -m tests.draw_layers": "tests/test_doc_commands_smoke.py::test_the_picture_script_checks_the_committed_picture",
}


def doc_files():
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def commands_in(text):
    found = set()
    for match in CODE.finditer(text):
        code = match.group(1) or match.group(2)
        for form, pattern in FORMS:
            found.update(f"{form} {name}" for name in pattern.findall(code))
    return found


def named_commands():
    """{command: the doc files that name it}."""
    named = {}
    for path in doc_files():
        for command in commands_in(path.read_text()):
            named.setdefault(command, []).append(path.relative_to(ROOT).as_posix())
    return named


def manual_commands():
    """{command: the reason its *Manual:* note gives}, from every note in the docs."""
    manual = {}
    for path in doc_files():
        for note in MANUAL.findall(path.read_text()):
            reason = CODE.sub("", note).strip(" .:;,-—\n")
            for command in commands_in(note):
                manual[command] = reason
    return manual


def functions_in(path):
    tree = ast.parse((ROOT / path).read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_command_in_the_docs_has_a_smoke_test_or_a_manual_note():
    manual = manual_commands()
    neither = {
        command: files
        for command, files in named_commands().items()
        if command not in SMOKE and command not in manual
    }
    assert neither == {}, "add a smoke test to SMOKE, or a *Manual:* note with the reason, for each"


def test_every_smoke_test_named_exists():
    missing = []
    for command, test in SMOKE.items():
        path, _, name = test.partition("::")
        if not (ROOT / path).exists() or name not in functions_in(path):
            missing.append(f"{command}: {test}")
    assert missing == []


def test_every_manual_note_says_why():
    assert manual_commands(), "the docs mark no command manual: the note convention is lost"
    assert {command: reason for command, reason in manual_commands().items() if len(reason) < 20} == {}


def test_the_mapping_names_no_command_the_docs_no_longer_name():
    """A command dropped from the docs leaves SMOKE too, so the table stays a true list."""
    assert set(SMOKE) - set(named_commands()) == set()


def test_the_reader_finds_commands_in_code_only():
    text = "We make sure of it.\n\n```sh\nN=10 make bench   # python -m bench.run\n```\nand `manage.py clock --once`."
    assert commands_in(text) == {"make bench", "python -m bench.run", "manage.py clock"}
    note = "*Manual:* `make audit` downloads Lighthouse with npm.\n\nNext paragraph `make run`."
    assert MANUAL.findall(note) == [" `make audit` downloads Lighthouse with npm."]


def test_ci_runs_the_readmes_test_command():
    """README's test command is the one CI runs, on each database."""
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test   #" in readme
    runs = [line for line in ci.splitlines() if re.search(r"(^|\s)make test$", line)]
    assert len(runs) >= 2 and any("DATABASE_URL=postgres" in line for line in runs)


def recipe(target):
    """The commands `make <target>` runs (make -n: printed, not run)."""
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", target], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")
def test_make_test_runs_everything_make_lint_does():
    """`make lint` runs in CI inside `make test`: its every command is one of test's."""
    lint = [line for line in recipe("lint") if "ruff" in line]
    test = recipe("test")
    assert lint and all(line in test for line in lint)
