from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        from anymail.signals import tracking

        from supporters import account_sections, signals

        # emails registers the newsletters' email kinds, jobs the sending's clock jobs.
        from . import appeal, emails, erasure, import_notice, jobs, offer  # noqa: F401
        from .models import Newsletter
        from .tracking import on_tracking
        from .views import account

        # Supporters may not import us: we add our part to their account page, export and erasure.
        account_sections.register("newsletters", render=account.section, export=account.export, order=40)
        signals.erasing.connect(erasure.erase, dispatch_uid="newsletters-erasure")
        # Bounces, complaints and unsubscribes from the provider's tracking webhooks.
        tracking.connect(on_tracking, dispatch_uid="newsletters-tracking")
        # The appeals report credits an issue's appeal to the issue, named as we name it.
        appeal.register()

        # The cached list of what the shared sign-up form offers is dropped when a newsletter changes.
        for signal in (post_save, post_delete):
            signal.connect(offer.forget, sender=Newsletter, dispatch_uid=f"newsletters-offer-{signal}")
