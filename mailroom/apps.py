from django.apps import AppConfig


class MailroomConfig(AppConfig):
    name = "mailroom"
    verbose_name = "Outgoing email"

    def ready(self):
        from . import legacy  # noqa: F401 - registers the email kind of rows written before templates
