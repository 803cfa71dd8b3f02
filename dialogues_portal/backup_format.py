"""The backup's JSON: Django's fixture JSON, except that times keep their microseconds.

Django's own JSON encoder cuts datetimes to milliseconds, so a restored record's "last updated"
(and every historical version's date) would differ from the original. Files in this format load
with the ordinary `json` deserializer (`manage.py loaddata` / `restore`): the ISO strings parse back.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class PreciseJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = PreciseJSONEncoder
