"""Dialogue rounds as spreadsheet rows: the columns editors import and export in the admin."""

from import_export.fields import Field

from .import_export import (
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
from .models import Country, DialogueRound, Source, Topic


class DialogueRoundResource(PublishableResource):
    country = Field("country", "country", widget=LookupWidget(Country, "iso_code", normalise=upper))
    held_on = PartialDateField("held_on")
    place = Field("place", "place", widget=TextWidget())
    # Named apart from its column: the admin's export form has a field "format" (the file's) of its
    # own, and import-export names each column's checkbox after the resource field.
    dialogue_format = Field("format", "format", widget=ChoiceWidget())
    sequence_number = Field("sequence_number", "sequence_number", widget=WholeNumberWidget())
    topics = Field("topics", "topics", widget=LookupListWidget(Topic, "slug"))
    summary = Field("summary", "summary", widget=TextWidget())
    sources = Field("sources", "sources", widget=SourceListWidget(Source))

    duplicate_of = ("country", "held_on", "format")

    class Meta(PublishableResource.Meta):
        model = DialogueRound
        fields = (
            "id",
            "country",
            "held_on",
            "place",
            "dialogue_format",
            "sequence_number",
            "topics",
            "summary",
            "sources",
        )
        import_order = export_order = fields
