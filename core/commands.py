"""What the project's management commands share."""

from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def require_migrated_database():
    """A one-line refusal, not a traceback, when the database lacks some of its tables."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CommandError("The database is not fully migrated: run `manage.py migrate` first.")
