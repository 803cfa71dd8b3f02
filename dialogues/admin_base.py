"""What every admin page for a public record shares: publishing, review, history, provenance, speed.

Editors change drafts; only those with the `publish_<model>` permission (Publishers) may change
the publication status, here, in the bulk actions and when a version is restored from the history.
An Editor's save of a published record (a version restored from its history too) is kept as a
change waiting for review (revisions/): the record, its relations and its inlines stay as they are
until a Publisher accepts it. A form opened before someone else saved the record is refused.
"""

import json

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from revisions.models import RevisionOrigin
from revisions.services import needs_review, pending_revision, propose

from .admin_changelist import LargeTableAdminMixin
from .admin_forms import PortalModelForm
from .history import has_history, history_mark, merge_history
from .publishing import PublicationStatus
from .services import UNSOURCED_MESSAGE, can_publish, cites_a_published_source, records_publish, records_unpublish
from .stale_forms import VersionCheckMixin


class PublishableAdminForm(VersionCheckMixin, PortalModelForm):
    editor = None  # the user saving, set by PublishableAdmin.get_form on the form class it builds

    def clean(self):
        cleaned = super().clean()
        waiting = self.instance.pk and needs_review(self.editor, self.instance) and pending_revision(self.instance)
        if waiting and waiting.author_id != self.editor.pk:
            raise ValidationError(
                _(
                    "%(author)s proposed a change to this record that waits for review: a publisher must "
                    "accept or reject it before another change is proposed."
                )
                % {"author": waiting.author or _("someone")}
            )
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


class PublishableInlineFormSet(BaseInlineFormSet):
    editor = None  # set by PublishableInlineMixin.get_formset on the class it builds

    def clean(self):
        super().clean()
        model = self.model
        if can_publish(self.editor, model):
            return
        changed = [form for form in self.forms if form.instance.pk is not None and form.has_changed()]
        published = set(
            model._base_manager.filter(
                pk__in=[form.instance.pk for form in changed], publication_status=PublicationStatus.PUBLISHED
            ).values_list("pk", flat=True)
        )
        for form in changed:
            if form.instance.pk in published:
                form.add_error(
                    None,
                    _(
                        "This %(record)s is published: change it on its own page, where your change waits "
                        "for a publisher's review."
                    )
                    % {"record": model._meta.verbose_name},
                )


class PublishableInlineMixin:
    """An inline of publishable records (a round's concern entries, a call's projects): only a
    Publisher sets their status or changes a published one from here."""

    formset = PublishableInlineFormSet

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not can_publish(request.user, self.model) and "publication_status" not in fields:
            fields = (*fields, "publication_status")
        return fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.editor = request.user
        return formset


class ReviewedChangesMixin:
    """An Editor's save of a published record becomes a proposal (revisions/): nothing of the
    record is written, not its many-to-many fields nor its inlines, which are read-only then."""

    change_form_template = "admin/publishable_change_form.html"

    def reviews(self, request, obj):
        """Whether the user's save of `obj` waits for review (asked once per request and record)."""
        if obj is None or obj.pk is None:
            return False
        answers = request.__dict__.setdefault("_reviews", {})
        if obj.pk not in answers:
            answers[obj.pk] = needs_review(request.user, obj)
        return answers[obj.pk]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user  # a class built for this request (modelform_factory)
        return form

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if self.reviews(request, obj):
            for inline in inlines:
                inline.has_add_permission = inline.has_change_permission = inline.has_delete_permission = (
                    lambda request, obj=None: False
                )
                inline.max_num = 0
        return inlines

    def save_model(self, request, obj, form, change):
        if change and not can_publish(request.user, self.model):
            # a restored version carries its own status: only a Publisher changes it
            obj.publication_status = self.model._base_manager.values_list("publication_status", flat=True).get(
                pk=obj.pk
            )
        if change and self.reviews(request, obj):
            match = request.resolver_match
            restored = match is not None and match.url_name.endswith("_simple_history")
            m2m = {
                field.name: form.cleaned_data[field.name]
                for field in self.model._meta.many_to_many
                if field.name in form.cleaned_data
            }
            request.proposed = propose(
                record=obj,
                candidate=obj,
                m2m=m2m,
                author=request.user,
                origin=RevisionOrigin.HISTORY if restored else RevisionOrigin.ADMIN,
            )
            form.save_m2m = lambda: None  # the history restore calls it directly
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if hasattr(request, "proposed"):
            for formset in formsets:  # nothing saved: the change message reads these
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if hasattr(request, "proposed"):
            if request.proposed is None:
                return None
            message = _("Proposed change #%(id)s, waiting for review.") % {"id": request.proposed.pk}
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not hasattr(request, "proposed"):
            return super().response_change(request, obj)
        if request.proposed is None:
            self.message_user(request, _("Nothing was changed."), messages.INFO)
        else:
            self.message_user(
                request,
                _(
                    "Your change is waiting for a publisher's review (change #%(id)s). Until it is "
                    "accepted the public sees the published version."
                )
                % {"id": request.proposed.pk},
                messages.WARNING,
            )
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["pending_revision"] = pending_revision(obj)
            context["reviews_changes"] = self.reviews(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


class PublishableAdmin(LargeTableAdminMixin, ReviewedChangesMixin, OneHistoryEntryPerSaveMixin, SimpleHistoryAdmin):
    form = PublishableAdminForm
    actions = [publish_selected, unpublish_selected]
    readonly_fields = ("is_synthetic", "created_at", "updated_at")
    list_per_page = 50
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
