"""What an uploaded spreadsheet must be before any row of it is read: an XLSX that does not inflate
past a limit (a zip bomb grew the worker past 1 GB), and a header row naming each column once (with
a column twice, the last one silently won)."""

import csv
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

HEADER_BYTES = 64 * 1024  # a header line longer than this is no spreadsheet of ours


def check_upload(upload, extension):
    """Raise ValidationError for an XLSX too large once inflated, or a repeated column name."""
    try:
        if extension == ".xlsx":
            _check_inflated_size(upload)
        headers = _header_row(upload, extension)
    finally:
        upload.seek(0)
    seen, repeated = set(), []
    for header in headers:
        name = str(header or "").strip().lower()
        if name and name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    if repeated:
        raise ValidationError(
            _("The column “%(columns)s” appears more than once: keep one and import again.")
            % {"columns": "”, “".join(repeated)},
            code="repeated_column",
        )


def _check_inflated_size(upload):
    limit = settings.IMPORT_MAX_INFLATED_SIZE
    try:
        with zipfile.ZipFile(upload) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise ValidationError(_("This is not an Excel (.xlsx) file."), code="file_type") from None
    if inflated > limit:
        raise ValidationError(
            _("Unpacked, the file would be %(size)s; the largest accepted is %(limit)s.")
            % {"size": filesizeformat(inflated), "limit": filesizeformat(limit)},
            code="file_size",
        )


def _header_row(upload, extension):
    upload.seek(0)
    if extension == ".xlsx":
        try:
            import openpyxl  # here, not at the top: only a worker reading a spreadsheet loads it

            book = openpyxl.load_workbook(upload, read_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(_("This Excel (.xlsx) file cannot be read."), code="file_type") from None
        try:
            first = next(book.active.iter_rows(max_row=1, values_only=True), ())
        finally:
            book.close()
        return list(first)
    line = upload.read(HEADER_BYTES).decode("utf-8-sig", errors="replace").splitlines()[:1]
    return next(csv.reader(io.StringIO(line[0])), []) if line else []
