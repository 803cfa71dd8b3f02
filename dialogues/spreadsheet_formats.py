"""tablib's file formats loaded when first used, not when the portal starts.

django-import-export lists its formats when its admin is imported (base_formats.DEFAULT_FORMATS,
each format's is_available() asking tablib for it), and asking tablib for a format imports its
module: the XLSX one imports openpyxl, about 5 MB and a quarter of a second in every worker, most of
which never read a spreadsheet. `defer_tablib_formats` stands a `DeferredFormat` in for each format
tablib registered by its path, so that being asked for is free and the first use of the format
(its title, import, export, detection) imports it.
"""

import tablib  # noqa: F401  (tablib.core registers the built-in formats on import)
from tablib.formats import load_format_class, registry


class DeferredFormat:
    """A tablib format class, imported on the first use of any of its attributes."""

    def __init__(self, path):
        # underscored: no name of a format's own (title, export_set, ...) is hidden by the stand-in's
        self._path = path
        self._loaded = None

    def __getattr__(self, name):  # only for what the stand-in itself does not have
        if self._loaded is None:
            self._loaded = load_format_class(self._path)
        return getattr(self._loaded, name)

    def __repr__(self):
        return f"<DeferredFormat {self._path}>"


def defer_tablib_formats():
    """Stand a DeferredFormat in for every format tablib has not imported yet (registered by path)."""
    formats = registry._formats  # tablib keeps no public way to register a format lazily by key
    for key, format_or_path in list(formats.items()):
        if isinstance(format_or_path, str):
            formats[key] = DeferredFormat(format_or_path)
