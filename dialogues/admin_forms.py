"""The base of every form in the editors' admin (pages and inlines): plain errors, partial dates.

A database constraint the record breaks is reported next to the field to fix, with its message
from dialogues/constraint_messages.py, never as `Constraint "..." is violated.` A date stored with
its precision (`held_on` + `held_on_precision`) is typed in one field, the way sources give it:
"2008", "2008-06" or "2008-06-13".
"""

import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .constraint_messages import constraint_errors
from .partial_dates import DatePrecision, PartialDate, parse_partial_date
from .plain_text import validate_plain_text


class PartialDateInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"placeholder": _("e.g. 2008-06"), "size": 10, "autocomplete": "off", **(attrs or {})})


class PartialDateFormField(forms.Field):
    """A year, a month or a day in one text field; cleans to a PartialDate (or None)."""

    widget = PartialDateInput
    default_help_text = _("As the source gives it: a year (2008), a month (2008-06) or a day (2008-06-13).")

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, PartialDate) else value

    def to_python(self, value):
        if isinstance(value, PartialDate) or value in self.empty_values:
            return value or None
        if isinstance(value, datetime.date):
            return PartialDate(value, DatePrecision.DAY)
        try:
            return PartialDate(*parse_partial_date(str(value)))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


def partial_date_fields(model):
    """The model's dates stored with a precision: {date field: its precision field}."""
    pairs = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            try:
                pairs[field.name] = model._meta.get_field(f"{field.name}_precision").name
            except FieldDoesNotExist:
                continue
    return pairs


class PortalModelFormMetaclass(ModelFormMetaclass):
    """Every form built on PortalModelForm (the admin's modelform_factory included) types a partial
    date in one field, and has no precision field of its own."""

    def __new__(mcs, name, bases, attrs):
        form = super().__new__(mcs, name, bases, attrs)
        model = form._meta.model
        if model is None:
            return form
        for date_name, precision_name in partial_date_fields(model).items():
            form.base_fields.pop(precision_name, None)
            if date_name in form.base_fields and not isinstance(form.base_fields[date_name], PartialDateFormField):
                model_field = model._meta.get_field(date_name)
                form.base_fields[date_name] = PartialDateFormField(
                    required=not model_field.blank, label=capfirst(model_field.verbose_name)
                )
        return form


class PortalModelForm(forms.ModelForm, metaclass=PortalModelFormMetaclass):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):  # every text refuses control characters (plain_text.py)
                field.validators.append(validate_plain_text)
        for name in self._partial_dates():
            if name not in self.initial or isinstance(self.initial[name], datetime.date):
                stored = getattr(self.instance, name)
                self.initial[name] = PartialDate.of(stored, getattr(self.instance, f"{name}_precision") or "day")

    def _partial_dates(self):
        return [name for name, field in self.fields.items() if isinstance(field, PartialDateFormField)]

    def _post_clean(self):
        # One typed value writes both model fields, before the record is validated.
        for name in self._partial_dates():
            if name in self.cleaned_data:
                partial = self.cleaned_data[name]
                self.cleaned_data[name] = partial.date if partial else None
                setattr(self.instance, f"{name}_precision", partial.precision if partial else "")
        super()._post_clean()

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        for name in self._partial_dates():
            if name not in exclude:
                exclude.discard(f"{name}_precision")  # set with the date: check the pair's rules too
        return exclude

    def validate_constraints(self):
        errors = constraint_errors(self.instance, exclude=self._get_validation_exclusions())
        if errors:
            placed = {}
            for field, field_errors in errors.items():
                placed.setdefault(field if self._shows(field) else NON_FIELD_ERRORS, []).extend(field_errors)
            self._update_errors(ValidationError(placed))

    def _shows(self, field):
        """Whether the editor sees the field: else its error goes at the top of the form."""
        return field in self.fields and not self.fields[field].widget.is_hidden
