"""Projects as spreadsheet rows: the columns editors import and export in the admin."""

from import_export.fields import Field

from dialogues.import_export import (
    AmountWidget,
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
from dialogues.models import Country, Organisation, Source, Topic

from .models import Call, Programme, Project


class ProjectResource(PublishableResource):
    title = Field("title", "title", widget=TextWidget())
    programme = Field("programme", "programme", widget=LookupWidget(Programme, "slug"))
    call = Field("call", "call", widget=LookupWidget(Call))
    countries = Field("countries", "countries", widget=LookupListWidget(Country, "iso_code", normalise=upper))
    implementing_organisation = Field(
        "implementing_organisation", "implementing_organisation", widget=LookupWidget(Organisation, "slug")
    )
    topics = Field("topics", "topics", widget=LookupListWidget(Topic, "slug"))
    eu_contribution_eur = Field("eu_contribution_eur", "eu_contribution_eur", widget=AmountWidget())
    starts_on = PartialDateField("starts_on")
    ends_on = PartialDateField("ends_on")
    duration_months = Field("duration_months", "duration_months", widget=WholeNumberWidget())
    status = Field("status", "status", widget=ChoiceWidget())
    summary = Field("summary", "summary", widget=TextWidget())
    sources = Field("sources", "sources", widget=SourceListWidget(Source))

    duplicate_of = ("title", "programme")
    required_lists = ("countries",)

    class Meta(PublishableResource.Meta):
        model = Project
        fields = (
            "id",
            "title",
            "programme",
            "call",
            "countries",
            "implementing_organisation",
            "topics",
            "eu_contribution_eur",
            "starts_on",
            "ends_on",
            "duration_months",
            "status",
            "summary",
            "sources",
        )
        import_order = export_order = fields
