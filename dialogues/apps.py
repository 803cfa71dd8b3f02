from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .spreadsheet_formats import defer_tablib_formats

# At import, not in ready(): the admin's autodiscover (django.contrib.admin's ready(), earlier in
# INSTALLED_APPS) imports import-export's admin, which asks tablib for every format.
defer_tablib_formats()


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogues and shared records")
