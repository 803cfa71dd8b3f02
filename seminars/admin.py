"""The editors' admin for seminars, edited with their recommendations."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from dialogues.admin_base import CountryCodesColumnMixin, PublishableAdmin
from dialogues.admin_changelist import relation_filter
from dialogues.admin_forms import PortalModelForm
from dialogues.admin_tracker import CitationInline
from dialogues.import_export import PublishableImportExportMixin
from dialogues.languages import in_both_languages

from .models import Recommendation, Seminar
from .resources import SeminarResource


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    form = PortalModelForm
    extra = 1
    fields = ("position", "text", "concerns", "partner_response", "partner_response_source")
    autocomplete_fields = ("concerns", "partner_response_source")


@admin.register(Seminar)
class SeminarAdmin(CountryCodesColumnMixin, PublishableImportExportMixin, PublishableAdmin, TranslationAdmin):
    resource_classes = [SeminarResource]
    list_display = ("title", "kind", "country_codes", "city", "held", "publication_status", "updated_at")
    # without a join and DISTINCT over the table (dialogues/admin_changelist.py)
    list_filter = ("kind", relation_filter("countries", _("countries")), relation_filter("topics", _("topics")))
    search_fields = in_both_languages("title", "city", "summary")
    date_hierarchy = "held_on"
    autocomplete_fields = ("countries", "dialogue_round", "topics", "organisers", "concerns", "sources")
    inlines = [RecommendationInline, CitationInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    ("kind", "edition"),
                    "countries",
                    ("city", "online"),
                    "held_on",
                    "date_note",
                    "theme",
                )
            },
        ),
        (
            _("Context"),
            {
                "fields": (
                    "dialogue_round",
                    "topics",
                    "concerns",
                    "organisers",
                    ("participating_organisations", "participating_organisations_qualifier"),
                )
            },
        ),
        (_("Content"), {"fields": ("summary", "sources")}),
        (_("Publication"), {"fields": PublishableAdmin.record_fields}),
    )
