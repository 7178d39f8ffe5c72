from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared bottom layer: helpers every app may use, and which use no app of ours."""

    name = "core"
    verbose_name = "Shared"
