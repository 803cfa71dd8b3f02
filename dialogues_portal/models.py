"""What the portal keeps for itself, outside the content apps."""

import uuid

from django.db import models


class PendingImport(models.Model):
    """An uploaded spreadsheet between the admin's import preview and its confirmation.

    Kept in the database (dialogues_portal/import_storage.py), not in the cache: the confirmation
    must work while Redis is down and on whichever app server it reaches. Never served: no URL
    leads to it, and it is deleted once the import is confirmed (or after a day, unconfirmed)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        default_permissions = ()  # no one edits these: the import writes and deletes them

    def __str__(self):
        return str(self.id)
