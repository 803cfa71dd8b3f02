"""The editors' admin for the core records."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .admin_base import OneHistoryEntryPerSaveMixin, PublishableAdmin, PublishableAdminForm
from .admin_changelist import relation_filter
from .admin_forms import PortalModelForm
from .admin_tracker import CitationInline, ConcernEntryInline, save_round_entries
from .import_export import PublishableImportExportMixin
from .languages import in_both_languages
from .models import Country, DialogueRound, Organisation, Place, Source, Topic
from .publishing import PublicationStatus
from .resources import DialogueRoundResource
from .services import refuse_stranding, stranded_names


class SourceAdminForm(PublishableAdminForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("publication_status") == PublicationStatus.DRAFT:
            # the stored source, not the form's instance (a version restored from the history)
            try:
                refuse_stranding(sources=Source.objects.filter(pk=self.instance.pk))
            except ValidationError as error:
                self.add_error("publication_status", error)
        return cleaned


@admin.register(Source)
class SourceAdmin(PublishableAdmin):
    form = SourceAdminForm
    list_display = ("title", "publisher", "publisher_kind", "published", "publication_status", "updated_at")
    list_filter = ("publisher_kind", "kind")
    search_fields = ("title", "publisher", "description", "url")
    date_hierarchy = "published_on"

    def get_deleted_objects(self, objs, request):
        """A source that is the last published one of a published record is kept, as a protected
        object is (the delete page and the bulk delete both refuse): the record names it."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        named, total = stranded_names(objs)
        reason = _("would be left without a published source")
        protected = [*protected, *(f"{capfirst(name)}: {reason}" for name in named)]
        if total > len(named):
            protected.append(_("%(count)d more records too") % {"count": total - len(named)})
        return deleted, counts, perms_needed, protected


@admin.register(Topic)
class TopicAdmin(PublishableAdmin, TranslationAdmin):
    list_display = ("name", "slug", "publication_status", "updated_at")
    search_fields = (*in_both_languages("name"), "slug", *in_both_languages("description"))
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("sources",)


@admin.register(Country)
class CountryAdmin(PublishableAdmin, TranslationAdmin):
    list_display = ("name", "iso_code", "eu_agreement", "trade_preference", "dialogue_started", "publication_status")
    list_filter = ("eu_agreement", "trade_preference")
    search_fields = (*in_both_languages("name"), "iso_code", *in_both_languages("summary"))
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("dialogue_topics", "sources")


@admin.register(Organisation)
class OrganisationAdmin(PublishableAdmin, TranslationAdmin):
    list_display = ("name", "acronym", "kind", "country", "publication_status")
    list_filter = ("kind", "country")
    list_select_related = ("country",)
    search_fields = (*in_both_languages("name"), "acronym", "iati_ref", *in_both_languages("description"))
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("country", "sources")


@admin.register(Place)
class PlaceAdmin(TranslationAdmin, OneHistoryEntryPerSaveMixin, admin.ModelAdmin):
    form = PortalModelForm
    list_display = ("name", "country", "kind")
    list_filter = ("country", "kind")
    list_select_related = ("country",)
    search_fields = in_both_languages("name")
    autocomplete_fields = ("country",)

    def get_search_results(self, request, queryset, search_term):
        # Place.__str__ shows the country: load it with the autocomplete results too.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("country"), may_have_duplicates


@admin.register(DialogueRound)
class DialogueRoundAdmin(PublishableImportExportMixin, PublishableAdmin, TranslationAdmin):
    resource_classes = [DialogueRoundResource]
    list_display = (
        "__str__",
        "country",
        "held",
        "format",
        "sequence_number",
        "number_basis",
        "place",
        "publication_status",
    )
    list_filter = ("country", "format", relation_filter("topics", _("topics")))  # no join, no DISTINCT
    list_select_related = ("country",)  # __str__ names the country
    search_fields = in_both_languages("country__name", "place", "summary")
    date_hierarchy = "held_on"
    autocomplete_fields = ("country", "topics", "sources")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "country",
                    ("held_on", "held_until"),
                    ("place", "modality"),
                    "format",
                    ("sequence_number", "number_basis"),
                    "number_note",
                    ("alongside", "alongside_number"),
                    ("eu_lead", "partner_lead"),
                )
            },
        ),
        (_("Content"), {"fields": ("topics", "summary", "sources")}),
        (_("Publication"), {"fields": PublishableAdmin.record_fields}),
    )
    inlines = [ConcernEntryInline, CitationInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        save_round_entries(request, form, formsets)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("country"), may_have_duplicates
