from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared bottom layer: helpers every app may use, and which use no app of ours."""

    name = "core"
    verbose_name = "Site clock"  # what the newsroom sees: the clock's runs, listed after the desks

    def ready(self):
        from . import clock  # noqa: F401 - registers the clock's own upkeep (pruning)
