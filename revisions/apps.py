from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RevisionsConfig(AppConfig):
    name = "revisions"
    verbose_name = _("review of changes")
    default_auto_field = "django.db.models.BigAutoField"
