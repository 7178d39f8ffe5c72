from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "readership"
    verbose_name = "Readership"

    def ready(self):
        from . import jobs  # noqa: F401 - registers the minute's fold with the clock
