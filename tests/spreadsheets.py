"""Helpers for the admin import tests: build CSV and XLSX files, upload, preview and confirm."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

CSV_FORMAT, XLSX_FORMAT = "0", "1"  # the admin's import_formats: [CSV, XLSX]


def admin_url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def csv_file(rows, name="records.csv"):
    """A CSV upload with a header line from the first row's keys."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows, name="records.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(
        name, out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def preview(client, model, upload, file_format=CSV_FORMAT):
    """The dry run: upload the file; the response shows the preview or the rows' errors."""
    return client.post(admin_url(model, "import"), {"import_file": upload, "format": file_format, "resource": "0"})


def confirm(client, model, preview_response):
    """Confirm a previewed import, as the editor's click on "Confirm import" does."""
    form = preview_response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(admin_url(model, "process_import"), data)


def import_file(client, model, upload, file_format=CSV_FORMAT):
    response = preview(client, model, upload, file_format)
    assert response.status_code == 200
    assert "confirm_form" in response.context, _page_errors(response)
    return confirm(client, model, response)


def _page_errors(response):
    result = response.context.get("result")
    form = response.context.get("form")
    if result is not None:
        return [(row.number, row.error_dict) for row in result.invalid_rows] + [
            (number, [str(error.error) for error in errors]) for number, errors in result.row_errors()
        ]
    return form.errors if form is not None else response.content[:2000]


def export(client, model, file_format):
    """The admin's export of every record, in the format at `file_format` (0 CSV, 1 XLSX, 2 JSON)."""
    form = client.get(admin_url(model, "export")).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial not in (None, False)}
    data.update({"format": file_format, "resource": "0"})
    return client.post(admin_url(model, "export"), data)
