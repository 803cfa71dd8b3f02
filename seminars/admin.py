"""The editors' admin for seminars, edited with their recommendations."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from dialogues.admin_base import PublishableAdmin
from dialogues.import_export import PublishableImportExportMixin
from dialogues.models import Country

from .models import Recommendation, Seminar
from .resources import SeminarResource


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 1
    fields = ("position", "text")


@admin.register(Seminar)
class SeminarAdmin(PublishableImportExportMixin, PublishableAdmin):
    resource_classes = [SeminarResource]
    list_display = ("title", "kind", "country_codes", "city", "held", "publication_status", "updated_at")
    list_filter = ("kind", "countries", "topics")
    search_fields = ("title", "city", "summary")
    date_hierarchy = "held_on"
    autocomplete_fields = ("countries", "dialogue_round", "topics", "organisers", "sources")
    inlines = [RecommendationInline]
    fieldsets = (
        (None, {"fields": ("title", "kind", "countries", "city", ("held_on", "held_on_precision"), "date_note")}),
        (
            _("Context"),
            {
                "fields": (
                    "dialogue_round",
                    "topics",
                    "organisers",
                    ("participating_organisations", "participating_organisations_qualifier"),
                )
            },
        ),
        (_("Content"), {"fields": ("summary", "sources")}),
        (_("Publication"), {"fields": PublishableAdmin.record_fields}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("countries", queryset=Country.objects.only("id", "iso_code"))  # country_codes column
            )
        )

    @admin.display(description=_("countries"))
    def country_codes(self, seminar):
        return ", ".join(country.iso_code for country in seminar.countries.all())
