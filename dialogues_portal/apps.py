from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DialoguesPortalConfig(AppConfig):
    """The project level: pages and commands that span the apps, and the editors' roles."""

    name = "dialogues_portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.apps import apps

        from dialogues.cache import invalidate_on_changes_to

        from .content_refresh import queue_refresh
        from .roles import sync_roles_after_migrate

        # An edit of a record of the content apps drops the cached values that read its area
        # (dialogues/cache.py); the task worker then stores the slowest pages' contents again.
        invalidate_on_changes_to("dialogues", "seminars", "funding", after_commit=queue_refresh)

        # This package has no models, so migrate sends it no signal: follow the last content app.
        post_migrate.connect(sync_roles_after_migrate, sender=apps.get_app_config("funding"))
