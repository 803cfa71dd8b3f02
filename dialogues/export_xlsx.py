"""A listing export as an Excel workbook (.xlsx), the rows the CSV and JSON exports give.

Built in memory by openpyxl's write-only workbook (rows are written as they come, not kept as
cells), up to XLSX_MAX_ROWS rows: a larger export is refused (dialogues/exports.py) with a pointer
to the CSV, which streams any number of rows, rather than cut short. Texts that would start a formula get an
apostrophe (dialogues/spreadsheet_text.py); numbers stay numbers; partial dates are text cells in
the text format ("@"), so that Excel never turns "2010-01" into 1 January 2010.
"""

import io

from .spreadsheet_text import neutralised

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A workbook is built whole before it is sent (a zip is not streamed): at about 10,000 rows a second
# this is what a worker writes well within its time limit; past it, the CSV.
XLSX_MAX_ROWS = 100_000


def workbook(title, headers, rows, *, text_columns=()):
    """The .xlsx bytes of a sheet with `headers` and `rows`; the columns at `text_columns` are
    written as text."""
    # openpyxl is imported here, not at the top: a worker that never writes a workbook does not
    # load it (about 5 MB; dialogues/spreadsheet_formats.py defers import-export's use of it too)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    def cell_value(value):
        if isinstance(value, str):
            # control characters an XLSX file cannot hold would make openpyxl refuse the whole sheet
            return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", neutralised(value))
        return value

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # Excel's limit for a sheet's name
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    text_columns = frozenset(text_columns)
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if index in text_columns and value is not None:
                cell = WriteOnlyCell(sheet, str(value))
                cell.number_format = "@"
                cells.append(cell)
            else:
                cells.append(cell_value(value))
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
