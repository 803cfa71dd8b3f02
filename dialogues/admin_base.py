"""What every admin page for a public record shares: publishing, history, provenance, speed.

Editors change drafts; only those with the `publish_<model>` permission (Publishers) may change
the publication status, here and in the bulk actions.
"""

import json

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .admin_forms import PortalModelForm
from .history import has_history, history_mark, merge_history
from .publishing import PublicationStatus
from .services import UNSOURCED_MESSAGE, can_publish, cites_a_published_source, records_publish, records_unpublish


class PublishableAdminForm(PortalModelForm):
    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("publication_status", getattr(self.instance, "publication_status", None))
        published = status == PublicationStatus.PUBLISHED and "sources" in self.fields
        if published and not cites_a_published_source(cleaned.get("sources") or ()):
            self.add_error("sources", UNSOURCED_MESSAGE)
        return cleaned


@admin.action(description=_("Publish the selected records"))
def publish_selected(modeladmin, request, queryset):
    try:
        changed = records_publish(user=request.user, records=queryset)
    except (PermissionDenied, ValidationError) as error:
        modeladmin.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
        return
    modeladmin.message_user(request, ngettext("%d record published.", "%d records published.", changed) % changed)


@admin.action(description=_("Unpublish the selected records (back to draft)"))
def unpublish_selected(modeladmin, request, queryset):
    try:
        changed = records_unpublish(user=request.user, records=queryset)
    except (PermissionDenied, ValidationError) as error:  # a source that is some record's last one
        modeladmin.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
        return
    modeladmin.message_user(request, ngettext("%d record unpublished.", "%d records unpublished.", changed) % changed)


class CountryCodesColumnMixin:
    """A `country_codes` list column ("KZ, UZ") for records with several countries, in one query."""

    def get_queryset(self, request):
        from .models import Country

        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("countries", queryset=Country.objects.only("id", "iso_code")))
        )

    @admin.display(description=_("countries"))
    def country_codes(self, record):
        return ", ".join(country.iso_code for country in record.countries.all())


class OneHistoryEntryPerSaveMixin:
    """One admin save is one history entry per record it wrote (the record, its many-to-many
    fields, its inlines), whose change reason is the admin's own account of the change."""

    def save_model(self, request, obj, form, change):
        models = {type(obj), *(inline.model for inline in self.inlines)}
        request.history_marks = {model: history_mark(model) for model in models if has_history(model)}
        request.history_records = {}
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        saved = [*formset.new_objects, *(record for record, _fields in formset.changed_objects)]
        request.history_records.setdefault(formset.model, set()).update(record.pk for record in saved)

    def log_addition(self, request, obj, message):
        self.merge_history(request, obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self.merge_history(request, obj, message)
        return super().log_change(request, obj, message)

    def merge_history(self, request, obj, message):
        marks = getattr(request, "history_marks", None)
        if not marks:
            return
        records = {**request.history_records, type(obj): {obj.pk}}
        account = LogEntry(change_message=message if isinstance(message, str) else json.dumps(message))
        reason = _("In the admin: %(change)s") % {"change": account.get_change_message()}
        for model, since in marks.items():
            merge_history(model, since, records.get(model, ()), reason=reason)
        del request.history_marks


class PublishableAdmin(OneHistoryEntryPerSaveMixin, SimpleHistoryAdmin):
    form = PublishableAdminForm
    actions = [publish_selected, unpublish_selected]
    readonly_fields = ("is_synthetic", "created_at", "updated_at")
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over the whole table on every changelist
    record_fields = ("publication_status", "is_synthetic", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not can_publish(request.user, self.model):
            fields = (*fields, "publication_status")
        return fields

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not can_publish(request.user, self.model):
            actions.pop("publish_selected", None)
            actions.pop("unpublish_selected", None)
        return actions

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), "publication_status", "is_synthetic")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets:
            return fieldsets
        # Default layout: the record's own fields first, then its publication and timestamps.
        fields = [f for f in fieldsets[0][1]["fields"] if f not in self.record_fields]
        return [
            (None, {"fields": fields}),
            (_("Publication"), {"fields": self.record_fields}),
        ]
