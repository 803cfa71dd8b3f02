"""Where the admin's import keeps an uploaded file between the preview and the confirmation.

django-import-export's IMPORT_EXPORT_TMP_STORAGE_CLASS: the database (PendingImport), as
the cache fails while Redis is down and a local folder is not shared by several app servers. The
name the confirm form sends back is only ever a UUID looked up in that table, never a path.
"""

import uuid

from django.db import router
from import_export.tmp_storages import BaseStorage

from dialogues.import_export import ImportFileGone

from .models import PendingImport


class DatabaseStorage(BaseStorage):
    def save(self, data):
        PendingImport.forget_old()
        pending = PendingImport.objects.create(
            data=data.encode(self.encoding or "utf-8") if isinstance(data, str) else data
        )
        self.name = pending.id.hex

    def read(self):
        data = self._pending().values_list("data", flat=True).first()
        if data is None:
            raise ImportFileGone(self.name)
        return bytes(data)

    def remove(self):
        self._pending().delete()

    def _pending(self):
        try:
            key = uuid.UUID(hex=str(self.name))
        except ValueError:
            return PendingImport.objects.none()
        # on the primary, where save() wrote it: a replica may not have it yet
        return PendingImport.objects.using(router.db_for_write(PendingImport)).filter(pk=key)
