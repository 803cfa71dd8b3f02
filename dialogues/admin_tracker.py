"""The editors' admin for the follow-up tracker and for citations of single values.

An editor records everything a round discussed on the round's own page: one inline row per
concern (picked by autocomplete, or created on the spot with the "+" beside it), whose date is
the round's and whose sources default to the round's.
"""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from revisions.services import needs_review

from .admin_base import OneHistoryEntryPerSaveMixin, PublishableAdmin, PublishableInlineMixin
from .admin_forms import PortalModelForm
from .languages import in_both_languages
from .models import Citation, Concern, ConcernEntry


class CitationInline(GenericTabularInline):
    """Which source states which value of the record (or how it was inferred)."""

    model = Citation
    form = PortalModelForm
    fields = ("field", "source", "basis", "reading", "note")
    autocomplete_fields = ("source",)
    extra = 0
    verbose_name = _("citation of a value")
    verbose_name_plural = _("citations of single values")


class ConcernEntryRoundForm(PortalModelForm):
    class Meta:
        model = ConcernEntry
        fields = ("concern", "status", "asserted_by", "statement", "sources", "publication_status")
        widgets = {"statement": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sources" in self.fields:
            self.fields["sources"].required = False
            self.fields["sources"].help_text = _("Leave empty to cite the round's sources.")


class ConcernEntryInline(PublishableInlineMixin, admin.StackedInline):
    """What the round raised, concern by concern."""

    model = ConcernEntry
    form = ConcernEntryRoundForm
    fk_name = "dialogue_round"
    autocomplete_fields = ("concern", "sources")
    extra = 0
    verbose_name = _("concern discussed at this round")
    verbose_name_plural = _("concerns discussed at this round")


def save_round_entries(request, form, formsets):
    """The round's sources for every entry saved without its own (the default the form promises)."""
    round_sources = list(form.instance.sources.all())
    for formset in formsets:
        if formset.model is not ConcernEntry:
            continue
        for entry_form in formset.forms:
            entry = entry_form.instance
            if entry.pk and entry_form.has_changed() and not entry.sources.exists():
                entry.sources.set(round_sources)


class ConcernEntryInlineOnConcern(PublishableInlineMixin, admin.TabularInline):
    model = ConcernEntry
    form = PortalModelForm
    fields = ("dialogue_round", "occasion", "stated_on", "status", "asserted_by", "statement")
    autocomplete_fields = ("dialogue_round",)
    extra = 0
    show_change_link = True


@admin.register(Concern)
class ConcernAdmin(PublishableAdmin, TranslationAdmin):
    list_display = ("title", "country", "slug", "publication_status", "updated_at")
    list_filter = ("country", "topics")
    list_select_related = ("country",)
    search_fields = (*in_both_languages("title"), "slug", *in_both_languages("summary"))
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("country", "topics", "sources")
    inlines = [ConcernEntryInlineOnConcern]


@admin.register(ConcernEntry)
class ConcernEntryAdmin(PublishableAdmin):
    list_display = ("concern", "dialogue_round", "occasion", "status", "asserted_by", "publication_status")
    list_filter = ("status", "asserted_by", "concern__country")
    list_select_related = ("concern", "dialogue_round__country")
    search_fields = ("concern__title", "statement", "occasion")
    autocomplete_fields = ("concern", "dialogue_round", "sources")
    inlines = [CitationInline]


class CitationForm(PortalModelForm):
    editor = None  # set by CitationAdmin.get_form on the class it builds

    def clean(self):
        cleaned = super().clean()
        content_type, object_id = cleaned.get("content_type"), cleaned.get("object_id")
        if content_type is not None and object_id is not None:
            record = content_type.model_class()._base_manager.filter(pk=object_id).first()
            if record is not None and needs_review(self.editor, record):
                raise ValidationError(
                    _("This record is published: only a publisher changes the citations of its values.")
                )
        return cleaned


@admin.register(Citation)
class CitationAdmin(OneHistoryEntryPerSaveMixin, admin.ModelAdmin):
    """Citations on their own: an Editor changes those of drafts only (a published record's are
    public at once, and its own page keeps them read-only for Editors until review)."""

    form = CitationForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user
        return form

    def _of_published_record(self, request, obj):
        record = obj.content_type.model_class()._base_manager.filter(pk=obj.object_id).first() if obj else None
        return record is not None and needs_review(request.user, record)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._of_published_record(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._of_published_record(request, obj)

    list_display = ("content_type", "object_id", "field", "source", "basis", "reading")
    list_filter = ("content_type", "basis")
    search_fields = ("field", "source__title", "note", "reading")
    autocomplete_fields = ("source",)
