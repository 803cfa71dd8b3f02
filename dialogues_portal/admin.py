"""The editors' admin carries the portal's name (in the editor's language), not Django's."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Human Rights Dialogues Portal")
admin.site.site_title = _("Human Rights Dialogues Portal: editors")
admin.site.index_title = _("Records and sources")
