"""The rows that data migrations create (the default prefecture's directory, supervision
targets, the report channels, the center profile), given back after a flush.

Transactional tests (live server, races) leave an empty database behind them: Django flushes
every table after each one. The flush sends ``post_migrate``, which re-creates the content
types and permissions; ``replay_after_flush`` (connected by ``tests/conftest.py``) then runs
the project's data migrations (every ``RunPython`` operation of our apps) again, in the order
``migrate`` runs them, so the next test finds the database as ``migrate`` left it. This
replaces Django's serialized rollback, which saved all these rows once and reloaded them
before every transactional test."""

from functools import cache

from django.apps import apps as global_apps
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython


def _ours(label: str) -> bool:
    return "site-packages" not in global_apps.get_app_config(label).path


@cache
def data_migrations() -> tuple[tuple[str, RunPython], ...]:
    """Our apps' RunPython operations as ("app.migration", operation), in ``migrate``'s
    order (every leaf's plan, as ``migrate`` without arguments)."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    plan = dict.fromkeys(key for leaf in graph.leaf_nodes() for key in graph.forwards_plan(leaf))
    return tuple(
        (f"{app}.{name}", operation)
        for app, name in plan
        if _ours(app)
        for operation in graph.nodes[app, name].operations
        if isinstance(operation, RunPython)
    )


@cache
def migrated_apps():
    """The models as the last migrations leave them (a data migration's ``apps``)."""
    return MigrationLoader(None, ignore_no_migrations=True).project_state().apps


def replay(using: str = "default") -> None:
    """Run the data migrations again, on an emptied database."""
    connection = connections[using]
    with transaction.atomic(using=using):
        for _, operation in data_migrations():
            operation.code(migrated_apps(), connection.schema_editor(atomic=False))


def replay_after_flush(sender, using, **kwargs) -> None:
    """``post_migrate`` receiver: at the last app's signal of a flush, once the content types
    are back (``migrate`` sends a ``plan`` and has run the data migrations itself)."""
    if "plan" in kwargs:
        return
    if sender is [config for config in global_apps.get_app_configs() if config.models_module][-1]:
        replay(using)
