"""URL converters for public identifiers.

`<id:pk>` takes at most 18 digits: a larger number would overflow a 64-bit integer column and
turn a mistyped link into a server error instead of a 404.
"""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
