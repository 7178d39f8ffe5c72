from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class CanaryConfig(AppConfig):
    name = "canary"
    verbose_name = "Canary"

    def ready(self):
        from . import invalidation, roles, security

        security.connect()
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
        for signal in (post_save, post_delete):
            signal.connect(invalidation.content_changed, dispatch_uid=f"canary-page-cache-{signal}")
        m2m_changed.connect(invalidation.relation_changed, dispatch_uid="canary-page-cache-m2m")
