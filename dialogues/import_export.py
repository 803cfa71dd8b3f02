"""Spreadsheet import and export for editors: the columns, the rules a row must pass, the admin glue.

Written once for every record the portal imports (projects, dialogue rounds, seminars): related
records by their public identifiers, partial dates as the sources give them, amounts in EUR, and
an import that writes nothing unless every row is valid. Each app declares its columns in its own
`resources.py`.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import tablib
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ImportForm
from import_export.resources import ModelResource
from import_export.widgets import ForeignKeyWidget, IntegerWidget, ManyToManyWidget, Widget

from .constraint_messages import constraint_errors
from .history import history_mark, merge_history
from .partial_dates import DatePrecision, PartialDate, parse_partial_date
from .plain_text import validate_plain_text
from .publishing import PublicationStatus
from .spreadsheet_files import check_upload
from .spreadsheet_text import neutralised_rows, restored

LIST_SEPARATORS = re.compile(r"[;,]")


class ImportFileGone(Exception):
    """The file a confirmation names is no longer kept: already imported, expired or never uploaded."""


def _integral(value):
    """A spreadsheet cell's number as an int when it is whole (XLSX gives 12.0 for 12)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _text(value):
    return "" if value is None else str(_integral(value)).strip()


class PartialDateWidget(Widget):
    """ "2010", "2010-01" or "2010-01-13" <-> PartialDate(first day of the period, precision)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return PartialDate(value, DatePrecision.DAY)
        text = _text(value)
        return PartialDate(*parse_partial_date(text)) if text else None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class PartialDateField(Field):
    """One column for a date and its precision: sets `<name>` and `<name>_precision` together."""

    def __init__(self, attribute, column_name=None, **kwargs):
        super().__init__(
            attribute=attribute, column_name=column_name or attribute, widget=PartialDateWidget(), **kwargs
        )

    def get_value(self, instance):
        return PartialDate.of(getattr(instance, self.attribute), getattr(instance, f"{self.attribute}_precision"))

    def save(self, instance, row, is_m2m=False, **kwargs):
        partial = self.clean(row, **kwargs)
        if isinstance(row.get(self.column_name), datetime.date):
            # Excel typed the cell as a date: a day, though the source may give only a month or
            # a year. The preview says so (PublishableResource.typed_dates).
            instance._typed_dates = [*getattr(instance, "_typed_dates", []), (self.column_name, partial)]
        setattr(instance, self.attribute, partial.date if partial else None)
        setattr(instance, f"{self.attribute}_precision", partial.precision if partial else "")


class AmountWidget(Widget):
    """An amount in EUR: a decimal with a point, more than 0; blank is unknown (NULL), never 0."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, (int, float)):
            value = repr(value)  # the digits the spreadsheet shows, without binary noise
        text = re.sub(r"\s|€|EUR", "", _text(value))
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not an amount in EUR: write digits with a decimal point, e.g. 1200000.50.")
                % {"value": value}
            ) from None
        if not amount.is_finite():
            raise ValueError(_("“%(value)s” is not an amount in EUR.") % {"value": value})
        if amount < 0:
            raise ValueError(_("An amount cannot be negative (%(value)s).") % {"value": value})
        if amount == 0:
            raise ValueError(_("An amount of 0 is not accepted: leave the cell blank when the amount is unknown."))
        return amount

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class WholeNumberWidget(IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(Widget):
    """A choice by its stored value; the model's full_clean() says which values are allowed."""

    def clean(self, value, row=None, **kwargs):
        return _text(value).lower()


class TextWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        text = restored(_text(value))  # an exported "'=..." comes back as it was recorded
        try:
            validate_plain_text(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None  # a row error, as for any other bad cell
        return text


class LookupWidget(ForeignKeyWidget):
    """A related record by a public identifier; an unknown one is a row error naming the value."""

    def __init__(self, model, field="pk", normalise=str, **kwargs):
        self.normalise = normalise
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            return self.model.objects.get(**{self.field: self.normalise(text)})
        except (ObjectDoesNotExist, ValueError, ValidationError):
            raise ValueError(
                _("Unknown %(model)s: “%(value)s”.") % {"model": self.model._meta.verbose_name, "value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


class LookupListWidget(ManyToManyWidget):
    """Several related records by public identifiers, separated by ";" or ","; every one must exist."""

    def __init__(self, model, field="pk", normalise=str, **kwargs):
        self.normalise = normalise
        super().__init__(model, separator=";", field=field, **kwargs)

    def split(self, value):
        return [self.normalise(part.strip()) for part in LIST_SEPARATORS.split(_text(value)) if part.strip()]

    def clean(self, value, row=None, **kwargs):
        keys = self.split(value)
        found = {
            str(getattr(record, self.field)): record
            for record in self.model.objects.filter(**{f"{self.field}__in": keys})
        }
        unknown = [key for key in keys if str(key) not in found]
        if unknown:
            raise ValueError(
                _("Unknown %(model)s: %(values)s.")
                % {"model": self.model._meta.verbose_name_plural, "values": ", ".join(f"“{key}”" for key in unknown)}
            )
        return list(dict.fromkeys(found[str(key)] for key in keys))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(sorted(str(getattr(record, self.field)) for record in value.all()))


class SourceListWidget(LookupListWidget):
    """Sources by id, or by exact title; separated by ";" (and "," between ids, titles may hold commas)."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="pk", **kwargs)

    def split(self, value):
        parts = [part.strip() for part in _text(value).split(";") if part.strip()]
        keys = []
        for part in parts:
            if re.fullmatch(r"\d+(\s*,\s*\d+)*", part):
                keys += [int(number) for number in part.split(",")]
            else:
                keys.append(part)
        return keys

    def clean(self, value, row=None, **kwargs):
        records = []
        for key in self.split(value):
            lookup = {"pk": key} if isinstance(key, int) else {"title": key}
            try:
                records.append(self.model.objects.get(**lookup))
            except ObjectDoesNotExist:
                raise ValueError(_("Unknown source: “%(value)s”.") % {"value": key}) from None
            except MultipleObjectsReturned:
                raise ValueError(
                    _("Several sources are titled “%(value)s”: give the source's id instead.") % {"value": key}
                ) from None
        return list(dict.fromkeys(records))


def upper(value):
    return value.upper()


def spreadsheet_row(row_number):
    """The row a spreadsheet shows for import-export's row number (1 for the first data row):
    the header is row 1."""
    return row_number + 1


class PublishableResource(ModelResource):
    """A row with an id updates that record (export, edit, import again); a row without one is a
    new draft. Any invalid row stops the whole import.

    `duplicate_of` names the fields that identify a record: a new row matching another record, or
    an earlier row of the same file, is a duplicate.
    """

    id = Field("id", "id", widget=WholeNumberWidget())

    duplicate_of = ()
    #: many-to-many columns that must name at least one record (the model field is not blank).
    required_lists = ()

    class Meta:
        import_id_fields = ("id",)  # the export's id column: blank for a new record
        use_transactions = True
        use_bulk = False  # bulk_create would skip save() and with it the history and the date normalising
        clean_model_instances = True  # full_clean(): the database constraints' rules, checked per row
        skip_unchanged = True  # the preview says which rows change nothing
        report_skipped = True

    def before_import(self, dataset, **kwargs):
        if "id" not in (dataset.headers or []):
            dataset.append_col([""] * dataset.height, header="id")  # a file of new records only
        self._rows_by_key = {}
        self.typed_dates = []  # (spreadsheet row, column, PartialDate) of each cell Excel typed as a date
        self._user = kwargs.get("user")
        file_name = kwargs.get("file_name")
        self._change_reason = (
            _("Imported from the spreadsheet “%(file)s”") % {"file": file_name}
            if file_name
            else _("Imported from a spreadsheet")
        )

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # A translated column (summary, place, title...) is the English text, whatever the editor's
        # language, and an import writes it back there: the Russian is edited on the record's form.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            return super().export_resource(instance, selected_fields, **kwargs)

    def after_init_instance(self, instance, new, row, **kwargs):
        self._unknown_id = _text(row.get("id")) if new else ""
        if new:
            instance.publication_status = PublicationStatus.DRAFT  # whatever the file says
            instance.is_synthetic = False

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        if self._unknown_id:
            message = _("There is no %(model)s with the id %(id)s: leave the id blank to add a new one.") % {
                "model": self._meta.model._meta.verbose_name,
                "id": self._unknown_id,
            }
            errors["id"] = [ValidationError(message, code="unknown_id")]
        try:
            with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):  # see export_resource
                super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self._row_typed_dates = getattr(instance, "_typed_dates", [])
        for field in self.get_import_fields():
            if isinstance(field.widget, ChoiceWidget) and field.attribute not in errors:
                self._check_choice(instance, field.attribute, errors)
        # Many-to-many columns are saved after the record; check them now, with the rest of the row.
        for field in self.get_import_fields():
            if not isinstance(field.widget, ManyToManyWidget):
                continue
            try:
                chosen = field.clean(row) if field.column_name in row else []
                if not chosen and field.attribute in self.required_lists:
                    raise ValueError(_("Give at least one."))
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
        if self.duplicate_of and not errors.keys() & set(self.duplicate_of):
            self._check_duplicate(instance, kwargs.get("row_number"), errors)
        if errors:
            raise ValidationError(errors)

    def _check_choice(self, instance, name, errors):
        """A bad choice lists the good ones (full_clean() would only say it is not one)."""
        model_field = self._meta.model._meta.get_field(name)
        value = getattr(instance, name)
        if value in model_field.empty_values:
            return  # blank: full_clean() says whether it may be
        if value not in {str(choice) for choice, _label in model_field.flatchoices}:
            errors[name] = ValidationError(
                _("“%(value)s” is not a valid %(field)s: choose one of %(choices)s.")
                % {
                    "value": value,
                    "field": model_field.verbose_name,
                    "choices": ", ".join(f"{choice} ({label})" for choice, label in model_field.flatchoices),
                },
                code="invalid_choice",
            )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """full_clean(), with the database constraints' violations in plain language, on their field."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=errors.keys(), validate_unique=validate_unique, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field, field_errors in constraint_errors(instance, exclude=errors.keys()).items():
            errors.setdefault(field, []).extend(field_errors)
        if errors:
            raise ValidationError(errors)

    def _check_duplicate(self, instance, row_number, errors):
        values = {name: getattr(instance, self._meta.model._meta.get_field(name).attname) for name in self.duplicate_of}
        key = tuple(values.values())
        if None in key:  # a blank (an undated round) identifies nothing: the constraints judge the row
            return
        names = " + ".join(str(self._meta.model._meta.get_field(name).verbose_name) for name in self.duplicate_of)
        first = self._rows_by_key.setdefault(key, row_number)
        other = self._meta.model.objects.filter(**values).exclude(pk=instance.pk).values_list("pk", flat=True).first()
        if first != row_number:
            message = _("Duplicate: row %(row)s of this file has the same %(fields)s.") % {
                "row": spreadsheet_row(first),
                "fields": names,
            }
        elif other is not None:
            message = _(
                "Duplicate: a %(model)s with the same %(fields)s already exists (id %(id)s): "
                "to change it, put its id in the id column."
            ) % {"model": self._meta.model._meta.verbose_name, "fields": names, "id": other}
        else:
            return
        errors[self.duplicate_of[0]] = ValidationError(message, code="duplicate")

    def before_save_instance(self, instance, row, **kwargs):
        if self._user is not None:
            instance._history_user = self._user  # the history names who imported the record
        instance._change_reason = self._change_reason
        self._history_since = history_mark(self._meta.model)

    def after_import_row(self, row, row_result, row_number=None, **kwargs):
        super().after_import_row(row, row_result, row_number=row_number, **kwargs)
        for column, partial in self._row_typed_dates:
            self.typed_dates.append((spreadsheet_row(row_number), column, partial))

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.typed_dates = self.typed_dates  # for the preview (templates/admin/import_export/import.html)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        # the row's save and each of its many-to-many columns wrote an entry: one row, one entry
        merge_history(self._meta.model, self._history_since, [instance.pk], reason=self._change_reason)


class ImportFileForm(ImportForm):
    """The upload: only CSV or XLSX, and no larger than settings.IMPORT_MAX_FILE_SIZE."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        extensions = {".csv", ".xlsx"}
        if Path(upload.name).suffix.lower() not in extensions:
            raise ValidationError(_("Upload a CSV (.csv) or Excel (.xlsx) file."), code="file_type")
        limit = settings.IMPORT_MAX_FILE_SIZE
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; the largest accepted is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="file_size",
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, index = cleaned.get("import_file"), cleaned.get("format")
        if upload and index not in (None, ""):
            chosen = self.formats[int(index)]().get_extension()
            if Path(upload.name).suffix.lower() != f".{chosen}":
                self.add_error("format", _("The file's type does not match the format chosen."))
            else:
                try:
                    check_upload(upload, f".{chosen}")
                except ValidationError as error:
                    self.add_error("import_file", error)
        return cleaned

    def __init__(self, formats, resources, **kwargs):
        self.formats = formats
        super().__init__(formats, resources, **kwargs)


def without_formulae(dataset):
    """A copy of `dataset` whose texts cannot start a formula (dialogues/spreadsheet_text.py)."""
    return tablib.Dataset(*neutralised_rows(dataset), headers=dataset.headers)


class SpreadsheetCSV(CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(without_formulae(dataset), **kwargs)


class SpreadsheetXLSX(XLSX):
    def export_data(self, dataset, **kwargs):
        return super().export_data(without_formulae(dataset), **kwargs)


class PublishableImportExportMixin(ImportExportMixin):
    """Import (CSV, XLSX) with a dry-run preview, and export (CSV, XLSX, JSON), in a record's admin.

    Put it before PublishableAdmin: the changelist keeps its history and publishing, and gains
    the Import and Export buttons (import-export extends whatever changelist template it finds).
    """

    import_formats = [CSV, XLSX]
    export_formats = [SpreadsheetCSV, SpreadsheetXLSX, JSON]  # JSON as recorded: no formula to fear
    import_form_class = ImportFileForm
    to_encoding = "utf-8-sig"  # CSV with a byte-order mark, for Excel; the import reads it back (from_encoding)
    import_error_display = ("message", "row")

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except ImportFileGone:  # a second click on "Confirm import", or a day-old preview
            messages.error(request, _("This file is no longer kept (already imported, or too old): upload it again."))
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))

    def process_dataset(self, dataset, form, request, **kwargs):
        # The confirm step imports again: if anything changed since the preview (a duplicate saved
        # meanwhile), a row that no longer validates rolls the whole import back.
        return super().process_dataset(dataset, form, request, rollback_on_validation_errors=True, **kwargs)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request, _("Nothing was imported: a row is not valid. Correct the file and upload it again.")
            )
            context = {
                **self.admin_site.each_context(request),
                "title": gettext_lazy("Import"),
                "opts": self.model._meta,
                "result": result,
                "import_error_display": self.import_error_display,
                "form": self.get_import_form_class(request)(
                    self.get_import_formats(), self.get_import_resource_classes(request)
                ),
            }
            return TemplateResponse(request, [self.import_template_name], context, status=400)
        return super().process_result(result, request)
