"""The editors' admin carries the portal's name (in the editor's language), not Django's; it lists
API tokens with their owner and dates (dialogues_portal/tokens.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from .tokens import token_expires_at, token_has_expired

admin.site.site_header = _("Human Rights Dialogues Portal")
admin.site.site_title = _("Human Rights Dialogues Portal: editors")
admin.site.index_title = _("Records and sources")

admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class ExpiringTokenAdmin(TokenAdmin):
    list_display = ("user", "created", "expires", "expired")  # the key is a secret: not in the list

    @admin.display(description=_("expires"))
    def expires(self, token):
        return token_expires_at(token)

    @admin.display(description=_("expired"), boolean=True)
    def expired(self, token):
        return token_has_expired(token)
