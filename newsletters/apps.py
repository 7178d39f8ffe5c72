from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        # emails registers the newsletters' email kinds, jobs the sending's clock jobs.
        from . import emails, jobs, offer  # noqa: F401
        from .models import Newsletter

        # The cached list of what the shared sign-up form offers is dropped when a newsletter changes.
        for signal in (post_save, post_delete):
            signal.connect(offer.forget, sender=Newsletter, dispatch_uid=f"newsletters-offer-{signal}")
