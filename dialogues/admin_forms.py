"""The base of every form in the editors' admin (pages and inlines): errors in plain language.

A database constraint the record breaks is reported next to the field to fix, with its message
from dialogues/constraint_messages.py, never as `Constraint "..." is violated.`
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .constraint_messages import constraint_errors


class PortalModelForm(forms.ModelForm):
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
