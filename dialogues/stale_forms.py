"""Lost updates in the admin: a form opened before someone else saved the record is refused.

The change form carries the version it was opened at (the record's `updated_at`); a save whose
version is no longer the stored one would silently undo the other person's change, so it is
refused with who changed the record, when, and which fields. (The API's counterpart is the ETag
and If-Match: dialogues/api/versions.py.)
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .history import has_history

IGNORED = {"updated_at", "created_at"}


def stored_version(record):
    value = type(record)._base_manager.filter(pk=record.pk).values_list("updated_at", flat=True).first()
    return value.isoformat() if value is not None else ""


def changed_since(record, version):
    """(who, when, [field labels]) of the saves after `version`, read from the record's history."""
    model = type(record)
    since = parse_datetime(version)
    if not has_history(model) or since is None:
        return None, None, []
    history = getattr(model, model._meta.simple_history_manager_attribute).filter(id=record.pk)
    newest = history.order_by("-history_id").select_related("history_user").first()
    loaded = history.filter(updated_at__lte=since).order_by("-history_id").first()
    if newest is None:
        return None, None, []
    fields = []
    if loaded is not None and newest.pk != loaded.pk:
        fields = [
            str(model._meta.get_field(change.field).verbose_name)
            for change in newest.diff_against(loaded).changes
            if change.field not in IGNORED
        ]
    return newest.history_user, newest.history_date, fields


class VersionField(forms.CharField):
    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False  # not a change of the record: it stays out of the admin's change message


class VersionCheckMixin(forms.Form):
    loaded_version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        updated_at = getattr(self.instance, "updated_at", None)
        if self.instance.pk is not None and updated_at is not None:
            self.initial["loaded_version"] = updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        # a form that does not carry it (the history restore's) is not checked
        loaded = self.data.get(self.add_prefix("loaded_version")) if self.is_bound else None
        if self.instance.pk is not None and loaded and loaded != stored_version(self.instance):
            who, when, fields = changed_since(self.instance, loaded)
            message = _("Someone saved this record after you opened this form.")
            if who is not None and when is not None:
                message = _("%(who)s saved this record at %(when)s, after you opened this form.") % {
                    "who": who,
                    "when": date_format(localtime(when), "j F Y, H:i"),
                }
            if fields:
                message += " " + _("They changed: %(fields)s.") % {"fields": ", ".join(fields)}
            message += " " + _("Nothing was saved: open the record again to see their change, then make yours.")
            raise ValidationError(message, code="stale")
        return cleaned
