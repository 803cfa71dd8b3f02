"""The editors' admin for programmes, calls and projects."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from dialogues.admin_base import CountryCodesColumnMixin, PublishableAdmin, PublishableInlineMixin
from dialogues.admin_changelist import FullTextSearchMixin, relation_filter, year_filter
from dialogues.admin_forms import PortalModelForm
from dialogues.admin_tracker import CitationInline
from dialogues.import_export import PublishableImportExportMixin
from dialogues.languages import in_both_languages

from .admin_iati import IatiFileAdmin
from .models import (
    Call,
    ExchangeRate,
    FundingFigure,
    IatiBudget,
    IatiFile,
    IatiTransaction,
    Programme,
    Project,
    ProjectCountryShare,
    ProjectSector,
    ProjectSourceKind,
    SectorTopic,
)
from .resources import ProjectResource


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin, TranslationAdmin):
    list_display = ("name", "acronym", "scope", "launched", "envelope_eur", "publication_status")
    list_filter = ("scope",)
    search_fields = (*in_both_languages("name"), "acronym", *in_both_languages("summary"))
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("predecessor", "countries", "sources")


class ProjectInline(PublishableInlineMixin, TranslationTabularInline):
    model = Project
    form = PortalModelForm
    fields = ("title", "eu_contribution_eur", "publication_status")
    readonly_fields = ("publication_status",)
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # a project needs its countries and sources: add it on its own page


@admin.register(Call)
class CallAdmin(PublishableAdmin):
    list_display = ("title", "programme", "country", "year", "total_amount_eur", "project_count", "publication_status")
    list_filter = ("programme", "country", "year")
    list_select_related = ("programme", "country")
    search_fields = ("title", "summary")
    autocomplete_fields = ("programme", "parent", "country", "places", "sources")
    inlines = [ProjectInline, CitationInline]


class StatedInline(admin.TabularInline):
    """What an IATI file states, shown as stated: the import writes it, nobody edits it."""

    form = PortalModelForm
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransactionInline(StatedInline):
    model = IatiTransaction
    fields = ("transaction_type", "value", "currency", "value_date", "transaction_date")


class BudgetInline(StatedInline):
    model = IatiBudget
    fields = ("budget_type", "status", "period_start", "period_end", "value", "currency", "value_date")


class SectorInline(StatedInline):
    model = ProjectSector
    fields = ("code", "percentage")


class CountryShareInline(StatedInline):
    model = ProjectCountryShare
    fields = ("country_code", "percentage")


IATI_INLINES = [CountryShareInline, SectorInline, TransactionInline, BudgetInline]


@admin.register(Project)
class ProjectAdmin(
    FullTextSearchMixin, CountryCodesColumnMixin, PublishableImportExportMixin, PublishableAdmin, TranslationAdmin
):
    resource_classes = [ProjectResource]
    list_display = (
        "title",
        "programme",
        "country_codes",
        "eu_contribution_eur",
        "starts",
        "ends",
        "status",
        "publication_status",
    )
    # a million rows: filters and search without joins or DISTINCT (dialogues/admin_changelist.py)
    list_filter = (
        "programme",
        relation_filter("countries", _("countries")),
        "status",
        "source_kind",
        relation_filter("topics", _("topics")),
        year_filter("starts_on", _("start year")),
    )
    list_select_related = ("programme",)
    search_fields = in_both_languages("title", "summary")  # for the autocomplete; the changelist's is full text
    autocomplete_fields = (
        *("programme", "call", "countries", "places", "implementing_organisation", "topics", "concerns", "sources"),
        "duplicate_of",
    )
    inlines = [CitationInline]
    fieldsets = (
        (None, {"fields": ("title", "programme", "call", "countries", "places", "implementing_organisation")}),
        (
            _("Money and time"),
            {
                "fields": (
                    "eu_contribution_eur",
                    ("starts_on", "ends_on"),
                    "duration_months",
                    "duration_note",
                    "status",
                )
            },
        ),
        (_("Content"), {"fields": ("topics", "concerns", "summary", "sources")}),
        (
            _("Origin"),
            {
                "fields": (
                    *("source_kind", "duplicate_of", "iati_identifier", "iati_last_updated", "iati_file"),
                    *("iati_parent", "recipient_region", "policy_markers"),
                )
            },
        ),
        (_("Publication"), {"fields": PublishableAdmin.record_fields}),
    )
    iati_fields = (
        *("source_kind", "iati_identifier", "iati_last_updated", "iati_file", "iati_parent"),
        *("recipient_region", "policy_markers"),
    )

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.iati_fields)

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and obj.source_kind == ProjectSourceKind.IATI:
            inlines += IATI_INLINES
        return inlines


@admin.register(FundingFigure)
class FundingFigureAdmin(PublishableAdmin):
    list_display = ("statement", "country", "programme", "qualifier", "amount_eur", "period", "publication_status")
    list_filter = ("country", "programme", "period")
    list_select_related = ("country", "programme")
    search_fields = ("statement",)
    autocomplete_fields = ("country", "programme", "sources")


@admin.register(SectorTopic)
class SectorTopicAdmin(TranslationAdmin):
    form = PortalModelForm
    list_display = ("code", "name", "topic", "withdrawn")
    list_editable = ("topic", "withdrawn")
    list_select_related = ("topic",)
    search_fields = ("code", *in_both_languages("name"))
    autocomplete_fields = ("topic",)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    form = PortalModelForm
    list_display = ("currency", "valid_from", "valid_until", "eur_per_unit", "source")
    list_filter = ("currency",)
    search_fields = ("currency", "source")


admin.site.register(IatiFile, IatiFileAdmin)  # the imported files, and the admin's upload of one
