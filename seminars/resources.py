"""Seminars as spreadsheet rows: the columns editors import and export in the admin."""

from import_export.fields import Field

from dialogues.choices import Qualifier
from dialogues.import_export import (
    ChoiceWidget,
    LookupListWidget,
    LookupWidget,
    PartialDateField,
    PublishableResource,
    SourceListWidget,
    TextWidget,
    WholeNumberWidget,
    upper,
)
from dialogues.models import Country, DialogueRound, Organisation, Source, Topic

from .models import Seminar, SeminarKind


class SeminarResource(PublishableResource):
    title = Field("title", "title", widget=TextWidget())
    kind = Field("kind", "kind", widget=ChoiceWidget(), default=SeminarKind.SEMINAR)
    countries = Field("countries", "countries", widget=LookupListWidget(Country, "iso_code", normalise=upper))
    city = Field("city", "city", widget=TextWidget())
    held_on = PartialDateField("held_on")
    date_note = Field("date_note", "date_note", widget=TextWidget())
    dialogue_round = Field("dialogue_round", "dialogue_round", widget=LookupWidget(DialogueRound))
    topics = Field("topics", "topics", widget=LookupListWidget(Topic, "slug"))
    organisers = Field("organisers", "organisers", widget=LookupListWidget(Organisation, "slug"))
    participating_organisations = Field(
        "participating_organisations", "participating_organisations", widget=WholeNumberWidget()
    )
    participating_organisations_qualifier = Field(
        "participating_organisations_qualifier",
        "participating_organisations_qualifier",
        widget=ChoiceWidget(),
        default=Qualifier.EXACT,
    )
    summary = Field("summary", "summary", widget=TextWidget())
    sources = Field("sources", "sources", widget=SourceListWidget(Source))

    duplicate_of = ("title", "held_on")
    required_lists = ("countries",)

    class Meta(PublishableResource.Meta):
        model = Seminar
        fields = (
            "id",
            "title",
            "kind",
            "countries",
            "city",
            "held_on",
            "date_note",
            "dialogue_round",
            "topics",
            "organisers",
            "participating_organisations",
            "participating_organisations_qualifier",
            "summary",
            "sources",
        )
        import_order = export_order = fields
