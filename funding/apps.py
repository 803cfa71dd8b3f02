from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("EU funding")

    def ready(self):
        from . import summaries

        summaries.connect()
