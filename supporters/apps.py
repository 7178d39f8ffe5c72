from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class SupportersConfig(AppConfig):
    name = "supporters"
    verbose_name = "Supporters"

    def ready(self):
        # They register email kinds and clock jobs.
        from . import appeals, dev_billing, emails, gift_emails, gifts, import_welcome, jobs  # noqa: F401
        from .models import AdSlot, CallToAction, HouseAd

        # The cached copy of live appeals is dropped whenever one of them changes.
        for model in (CallToAction, HouseAd, AdSlot):
            for signal in (post_save, post_delete):
                signal.connect(
                    appeals.forget, sender=model, dispatch_uid=f"appeals-{model.__name__}-{signal}"
                )
        for through in (CallToAction.sections.through, CallToAction.tags.through):
            m2m_changed.connect(
                appeals.forget, sender=through, dispatch_uid=f"appeals-m2m-{through.__name__}"
            )
