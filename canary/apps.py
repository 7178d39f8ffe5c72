from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class CanaryConfig(AppConfig):
    default = True
    name = "canary"
    verbose_name = "Canary"

    def ready(self):
        from core import planner

        from . import cdn_clock, clock_jobs, invalidation, roles, security  # noqa: F401 - they register jobs

        security.connect()
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
        post_migrate.connect(planner.refresh_after_migrate, sender=self)
        for signal in (post_save, post_delete):
            signal.connect(invalidation.content_changed, dispatch_uid=f"canary-page-cache-{signal}")
        m2m_changed.connect(invalidation.relation_changed, dispatch_uid="canary-page-cache-m2m")


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the newsroom's own site class with two-factor sign-in."""

    default = False
    default_site = "canary.two_factor.NewsroomAdminSite"
