"""Spreadsheet import and export for editors: the columns, the rules a row must pass, the admin glue.

Written once for every record the portal imports (projects, dialogue rounds, seminars): related
records by their public identifiers, partial dates as the sources give them, amounts in EUR, and
an import that writes nothing unless every row is valid. Each app declares its columns in its own
`resources.py`.
"""

import contextlib
import datetime
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import tablib
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV, JSON, XLSX
from import_export.forms import ImportForm
from import_export.instance_loaders import CachedInstanceLoader
from import_export.resources import Diff, ModelResource
from import_export.results import RowResult
from import_export.widgets import ForeignKeyWidget, IntegerWidget, ManyToManyWidget, Widget

from dialogues_portal.content_refresh import queue_refresh
from dialogues_portal.models import ImportStage, PendingImport

from . import import_background
from .cache import bump_generation
from .constraint_messages import constraint_errors
from .history import REASON_LENGTH
from .import_bulk import check_constraint_errors, write_history, write_many_to_many, written_in_bulk
from .partial_dates import DatePrecision, PartialDate, normalise_partial_dates, parse_partial_date
from .plain_text import validate_plain_text
from .publishing import PublicationStatus
from .services import can_publish
from .spreadsheet_files import check_upload
from .spreadsheet_text import neutralised_rows, restored

LIST_SEPARATORS = re.compile(r"[;,]")
PREVIEW_ROWS = 100  # the preview shows the first rows of a file; its totals count them all


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
        self.found = None  # {key: record} of every value of the file's column, once prefetched
        super().__init__(model, field=field, **kwargs)

    def key(self, text):
        """A cell's value as the model field holds it (ValueError if it cannot be one)."""
        model_field = self.model._meta.pk if self.field == "pk" else self.model._meta.get_field(self.field)
        try:
            return model_field.to_python(self.normalise(text))
        except ValidationError:
            raise ValueError(text) from None

    def prefetch(self, values):
        """Look up every value of the column at once (an import's rows then ask no query)."""
        keys = set()
        for value in values:
            with contextlib.suppress(ValueError):
                keys.add(self.key(_text(value)))
        records = self.model.objects.filter(**{f"{self.field}__in": keys})
        self.found = {self.key(str(getattr(record, self.field))): record for record in records}

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            if self.found is not None:
                return self.found[self.key(text)]
            return self.model.objects.get(**{self.field: self.normalise(text)})
        except (KeyError, ObjectDoesNotExist, ValueError, ValidationError):
            raise ValueError(
                _("Unknown %(model)s: “%(value)s”.") % {"model": self.model._meta.verbose_name, "value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


class LookupListWidget(ManyToManyWidget):
    """Several related records by public identifiers, separated by ";" or ","; every one must exist."""

    def __init__(self, model, field="pk", normalise=str, **kwargs):
        self.normalise = normalise
        self.found = None  # {str(key): record} of every value of the file's column, once prefetched
        super().__init__(model, separator=";", field=field, **kwargs)

    def split(self, value):
        return [self.normalise(part.strip()) for part in LIST_SEPARATORS.split(_text(value)) if part.strip()]

    def _records(self, keys):
        return {
            str(getattr(record, self.field)): record
            for record in self.model.objects.filter(**{f"{self.field}__in": keys})
        }

    def prefetch(self, values):
        """Look up every value of the column at once (an import's rows then ask no query)."""
        self.found = self._records({key for value in values for key in self.split(value)})

    def clean(self, value, row=None, **kwargs):
        keys = self.split(value)
        found = self.found if self.found is not None else self._records(keys)
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

    def prefetch(self, values):
        keys = {key for value in values for key in self.split(value)}
        ids = {key for key in keys if isinstance(key, int)}
        self.found = {}  # {id: record, title: [records]}
        for record in self.model.objects.filter(Q(pk__in=ids) | Q(title__in=keys - ids)):
            if record.pk in ids:
                self.found[record.pk] = record
            self.found.setdefault(record.title, []).append(record)

    def _get(self, key):
        if self.found is None:
            return self.model.objects.get(**({"pk": key} if isinstance(key, int) else {"title": key}))
        found = self.found.get(key)
        if isinstance(key, int) or found is None:
            if found is None:
                raise self.model.DoesNotExist
            return found
        if len(found) > 1:
            raise self.model.MultipleObjectsReturned
        return found[0]

    def clean(self, value, row=None, **kwargs):
        records = []
        for key in self.split(value):
            try:
                records.append(self._get(key))
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


class PrefetchingInstanceLoader(CachedInstanceLoader):
    """The records a file changes, read in one query with what the preview and the comparison with
    the file read of them (related records, many-to-many lists)."""

    def __init__(self, resource, dataset=None):
        self.resource, self.dataset = resource, dataset
        self.pk_field = resource.fields[resource.get_import_id_fields()[0]]
        ids = set()
        for row in dataset.dict if dataset is not None else ():
            with contextlib.suppress(ValueError, KeyError):  # the row itself says what is wrong with its id
                ids.add(self.pk_field.clean(row))
        ids.discard(None)
        fields = resource.get_import_fields()
        related = [f.attribute for f in fields if isinstance(f.widget, ForeignKeyWidget)]
        lists = [f.attribute for f in fields if isinstance(f.widget, ManyToManyWidget)]
        records = self.get_queryset().filter(pk__in=ids).select_related(*related).prefetch_related(*lists)
        self.all_instances = {record.pk: record for record in records} if ids else {}


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
        # Records, their many-to-many rows and their history written in bulk, once every row is read
        # (dialogues/import_bulk.py): save() is not called, so before_save_instance() does its work.
        use_bulk = True
        batch_size = None  # one bulk write for the whole file (Django splits it where SQLite needs)
        instance_loader_class = PrefetchingInstanceLoader
        clean_model_instances = True  # full_clean(): the database constraints' rules, checked per row
        skip_unchanged = True  # the preview says which rows change nothing
        report_skipped = True

    def before_import(self, dataset, **kwargs):
        if "id" not in (dataset.headers or []):
            dataset.append_col([""] * dataset.height, header="id")  # a file of new records only
        for field in self.get_import_fields():
            if hasattr(field.widget, "prefetch") and field.column_name in dataset.headers:
                field.widget.prefetch(dataset[field.column_name])
        self._rows_by_key = {}
        self._stored_keys = self._stored_duplicate_keys(dataset)
        self._saved, self._chosen, self._row_numbers, self._row_results = [], {}, {}, {}
        self._diffs_left = PREVIEW_ROWS
        self.typed_dates = []  # (spreadsheet row, column, PartialDate) of each cell Excel typed as a date
        self._user = kwargs.get("user")
        self._progress = kwargs.get("progress")  # the task worker's count (dialogues/import_background.py)
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

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that would change a published record is refused for a user who may not publish:
        an Editor's change to a published record waits for review (revisions/), which an import
        cannot offer row by row. Unchanged rows pass (a re-imported export)."""
        skipped = super().skip_row(instance, original, row, import_validation_errors)
        stored = original if original is not None else instance
        if (
            not skipped
            and stored.pk is not None
            and stored.publication_status == PublicationStatus.PUBLISHED
            and not can_publish(self._user, self._meta.model)
        ):
            raise ValidationError(
                {
                    "id": _(
                        "The %(model)s with the id %(id)s is published: only a publisher changes it by import. "
                        "Change it in the admin, where your change waits for a publisher's review."
                    )
                    % {"model": self._meta.model._meta.verbose_name, "id": stored.pk}
                }
            )
        return skipped

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
                if field.column_name in row:
                    instance._import_m2m = {**getattr(instance, "_import_m2m", {}), field.attribute: chosen}
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
        # A related record a lookup found exists: full_clean() would ask the database again, per row.
        looked_up = {
            field.attribute
            for field in self.get_import_fields()
            if isinstance(field.widget, LookupWidget) and getattr(instance, field.attribute, None) is not None
        }
        try:
            instance.full_clean(
                exclude=errors.keys() | looked_up, validate_unique=validate_unique, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Check constraints are checked for every record at once before the bulk write (import_bulk.py).
        # A unique constraint on fields the file does not write (an IATI identifier) is left out: their
        # stored values passed it when they were saved, and a query per row would follow.
        kept = {field.name for field in self._meta.model._meta.concrete_fields} - self._written_attributes()
        for field, field_errors in constraint_errors(instance, exclude=errors.keys() | kept, checks=False).items():
            errors.setdefault(field, []).extend(field_errors)
        if errors:
            raise ValidationError(errors)
        instance._constraint_exclude = set(errors.keys())

    def _written_attributes(self):
        if not hasattr(self, "_written"):
            self._written = {field.attribute for field in self.get_import_fields()}
        return self._written

    def _check_duplicate(self, instance, row_number, errors):
        values = {name: getattr(instance, self._meta.model._meta.get_field(name).attname) for name in self.duplicate_of}
        key = tuple(values.values())
        if None in key:  # a blank (an undated round) identifies nothing: the constraints judge the row
            return
        names = " + ".join(str(self._meta.model._meta.get_field(name).verbose_name) for name in self.duplicate_of)
        first = self._rows_by_key.setdefault(key, row_number)
        other = min((pk for pk in self._stored_keys.get(key, ()) if pk != instance.pk), default=None)
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

    def _stored_duplicate_keys(self, dataset):
        """{duplicate key: [pk]} of the stored records that may duplicate a row of the file: those
        sharing the first field of `duplicate_of` with a row, less those the file itself changes
        (its own rows are compared with one another)."""
        if not self.duplicate_of or self.duplicate_of[0] not in self.fields:
            return {}
        field = self.fields[self.duplicate_of[0]]
        values = set()
        for row in dataset.dict:
            with contextlib.suppress(ValueError, ValidationError, KeyError):
                values.add(field.clean(row))
        values.discard(None)
        ids = {_text(value) for value in (dataset["id"] if "id" in dataset.headers else [])}
        attnames = [self._meta.model._meta.get_field(name).attname for name in self.duplicate_of]
        stored = self._meta.model.objects.filter(**{f"{self.duplicate_of[0]}__in": values})
        keys = {}
        for pk, *key in stored.values_list("pk", *attnames):
            if str(pk) not in ids:
                keys.setdefault(tuple(key), []).append(pk)
        return keys

    def before_save_instance(self, instance, row, **kwargs):
        # what save() would do, as the records are written by bulk_create and bulk_update
        for field in self.get_import_fields():
            if isinstance(field, PartialDateField):
                normalise_partial_dates(instance, field.attribute)
        instance.updated_at = timezone.now()

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        self._saved.append((instance, is_create))
        self._row_numbers[id(instance)] = kwargs.get("row_number")

    def get_bulk_update_fields(self):
        model_fields = {field.name for field in self._meta.model._meta.concrete_fields}
        names = set()
        for field in self.get_import_fields():
            if isinstance(field.widget, ManyToManyWidget) or field.attribute == "id":
                continue
            names.add(field.attribute)
            if isinstance(field, PartialDateField):
                names.add(f"{field.attribute}_precision")
        return sorted((names | {"updated_at"}) & model_fields)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._refuse_constraint_violations(self.create_instances, result)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._refuse_constraint_violations(self.update_instances, result)
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)

    def _refuse_constraint_violations(self, instances, result):
        """Each record breaking a check constraint becomes an invalid row, as if its row had said so."""
        if not instances:
            return
        excludes = [getattr(instance, "_constraint_exclude", set()) for instance in instances]
        violations = check_constraint_errors(self._meta.model, instances, excludes)
        for index in sorted(violations, reverse=True):
            instance = instances.pop(index)
            self._saved = [(saved, created) for saved, created in self._saved if saved is not instance]
            number = self._row_numbers[id(instance)]
            row_result = self._row_results[number]
            error = ValidationError(
                {
                    field: [ValidationError(message) for message in messages]
                    for field, messages in violations[index].items()
                }
            )
            result.totals[row_result.import_type] -= 1
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
            row_result.import_type, row_result.validation_error = RowResult.IMPORT_TYPE_INVALID, error
            result.append_invalid_row(number, row_result.row_values or {}, error)
        result.invalid_rows.sort(key=lambda invalid: invalid.number)

    def after_import_row(self, row, row_result, row_number=None, **kwargs):
        super().after_import_row(row, row_result, row_number=row_number, **kwargs)
        self._row_results[row_number] = row_result
        if self._progress is not None:
            self._progress(row_number)
        row_result.row_values = row_result.row_values or row
        for column, partial in self._row_typed_dates:
            self.typed_dates.append((spreadsheet_row(row_number), column, partial))

    def after_import(self, dataset, result, **kwargs):
        if not (result.has_errors() or result.has_validation_errors()):
            model = self._meta.model
            chosen = {instance.pk: getattr(instance, "_import_m2m", {}) for instance, _created in self._saved}
            write_many_to_many(model, self._saved, chosen)
            write_history(model, self._saved, user=self._user, reason=self._change_reason[:REASON_LENGTH])
            if self._saved and not kwargs.get("dry_run"):
                written_in_bulk.send(sender=model)
                bump_generation()  # bulk writes send no signal: the cached figures and pages go now
                transaction.on_commit(bump_generation)  # and again once others can read the rows
                transaction.on_commit(queue_refresh)  # then the worker stores the slow pages again
        super().after_import(dataset, result, **kwargs)
        result.typed_dates = self.typed_dates  # for the preview (templates/admin/import_export/import.html)
        result.preview_rows = [row for row in result.rows if row.diff][:PREVIEW_ROWS]

    def get_diff_class(self):
        return PreviewDiff

    def preview_value(self, field, instance):
        """A cell of the preview: many-to-many values as the file chose them (not yet written)."""
        if isinstance(field.widget, ManyToManyWidget):
            if instance is not None and field.attribute in getattr(instance, "_import_m2m", {}):
                return field.widget.separator.join(
                    sorted(str(getattr(record, field.widget.field)) for record in instance._import_m2m[field.attribute])
                )
            if instance is None or instance.pk is None:
                return ""
        return field.export(instance) if instance is not None else ""


class PreviewDiff(Diff):
    """The preview's cells of the first PREVIEW_ROWS rows (a 5 MB file has thousands)."""

    def __init__(self, resource, instance, new):
        self.shown = resource._diffs_left > 0
        resource._diffs_left -= 1
        self.new, self.right = new, []
        self.left = (
            [resource.preview_value(field, instance) for field in resource.get_import_fields()] if self.shown else []
        )

    def compare_with(self, resource, instance):
        if self.shown:
            self.right = [resource.preview_value(field, instance) for field in resource.get_import_fields()]

    def as_html(self):
        return super().as_html() if self.shown else []


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

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/<uuid:pending_id>/",
                self.admin_site.admin_view(self.import_state_view),
                name="{}_{}_import_state".format(*info),
            ),
            path(
                "import/<uuid:pending_id>/confirm/",
                self.admin_site.admin_view(self.import_start_view),
                name="{}_{}_import_start".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_action(self, request, **kwargs):
        # A file too large for one request is checked by the task worker (dialogues/import_background.py)
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid() and (dataset := self._uploaded_dataset(form)) is not None:
                pending = import_background.queue_check(self, request, form, dataset)
                if pending is not None:
                    return HttpResponseRedirect(self._import_state_url(pending))
        return super().import_action(request, **kwargs)

    def _uploaded_dataset(self, form):
        """The upload's rows, or None when they cannot be read (the request's import says why)."""
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        if not input_format.is_binary():
            input_format.encoding = self.from_encoding
        try:
            return input_format.create_dataset(b"".join(form.cleaned_data["import_file"].chunks()))
        except Exception:  # noqa: BLE001 (any reader's error: import-export reports it on the form)
            return None

    def _import_state_url(self, pending):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_state", args=[pending.pk])

    def _own_pending_import(self, request, pending_id):
        """The editor's own upload on this model, read on the primary (the worker writes there)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        kept = PendingImport.objects.using(router.db_for_write(PendingImport)).defer("data")
        return get_object_or_404(
            kept, pk=pending_id, user=request.user, model=import_background.model_label(self.model)
        )

    def import_state_view(self, request, pending_id):
        """Where a background import stands: waiting or running (the page refreshes itself), its
        preview and the confirmation, its rows to correct, or its end."""
        pending = self._own_pending_import(request, pending_id)
        if pending.stage == ImportStage.IMPORTED:
            messages.success(request, import_background.success_message(self.model, pending.totals))
            pending.delete()
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext_lazy("Import"),
            "opts": self.model._meta,
            "pending": pending,
            "stalled": import_background.has_stalled(pending),
            "running": pending.stage in import_background.RUNNING and not import_background.has_stalled(pending),
            "refresh_seconds": 3,
            "percent": round(100 * pending.rows_done / pending.rows) if pending.rows else 0,
        }
        if pending.stage in (ImportStage.REFUSED, ImportStage.FAILED) or context["stalled"]:
            context["form"] = self.get_import_form_class(request)(
                self.get_import_formats(), self.get_import_resource_classes(request)
            )
        return TemplateResponse(request, "admin/import_export/import_state.html", context)

    @method_decorator(require_POST)
    def import_start_view(self, request, pending_id):
        """The editor's confirmation of a checked background import."""
        pending = self._own_pending_import(request, pending_id)
        if not import_background.queue_import(pending):
            messages.error(request, _("This file is not waiting for a confirmation (already confirmed, or refused)."))
        return HttpResponseRedirect(self._import_state_url(pending))

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
