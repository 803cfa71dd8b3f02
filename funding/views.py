"""Public pages of EU funding: programmes (with their calls), projects, and their exports."""

from dialogues.exports import Codes, Date, ExportView, RowCodes, Value
from dialogues.listing import FilteredListView, PublishedDetailView

from .filtersets import ProgrammeFilterSet, ProjectFilterSet
from .models import Call, Programme, Project


class ProgrammeListView(FilteredListView):
    model = Programme
    filterset_class = ProgrammeFilterSet
    template_name = "funding/programme_list.html"
    export_url_name = "programme-export"
    paginate_by = 50


class ProgrammeDetailView(PublishedDetailView):
    model = Programme
    template_name = "funding/programme_detail.html"

    def get_context_data(self, **kwargs):
        programme = self.object
        return super().get_context_data(
            calls=Call.objects.published().for_listing().filter(programme=programme),
            projects=Project.objects.published().for_listing().filter(programme=programme),
            successors=programme.successors.published().only("name", "slug"),
            **kwargs,
        )


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilterSet
    template_name = "funding/project_list.html"
    export_url_name = "project-export"
    keyset_field = "starts_on"  # deep pages by cursor along the index project_public_listing
    loading = "for_table"
    estimate_counts = True  # a million projects are not counted on every request


class ProjectDetailView(PublishedDetailView):
    model = Project
    template_name = "funding/project_detail.html"


class ProjectExportView(ExportView):
    model = Project
    filterset_class = ProjectFilterSet
    filename = "projects"
    detail_url_name = "project-detail"
    columns = (
        Value("title"),
        Value("programme__slug", "programme", published_via="programme"),
        Value("programme__name", "programme_name", published_via="programme"),
        # the call by id and title, not its total: a package's total repeated on each of its
        # projects' rows would be counted once per project by whoever sums the column
        Value("call_id", "call_id", published_via="call"),
        Value("call__title", "call", published_via="call"),
        Codes("countries", "iso_code", order_by="name", names="name", names_header="country_names"),
        Codes("topics", "slug", order_by="name", names="name", names_header="topic_names"),
        Value("eu_contribution_eur"),
        Date("starts_on", "starts"),
        Date("ends_on", "ends"),
        Value("duration_note", blank_as_none=True),
        Value("status", blank_as_none=True),
        Value("summary"),
        Codes("sources", "title"),
        Value("source_kind"),
        Value("iati_identifier"),
        RowCodes("sectors", "code"),
        Value("updated_at"),
    )


class ProgrammeExportView(ExportView):
    model = Programme
    filterset_class = ProgrammeFilterSet
    filename = "programmes"
    detail_url_name = "programme-detail"
    detail_url_field = "slug"
    columns = (
        Value("name"),
        Value("slug"),
        Value("acronym", blank_as_none=True),
        Date("launched_on", "launched"),
        Value("scope", blank_as_none=True),
        Codes("countries", "iso_code", order_by="name", names="name", names_header="country_names"),
        Value("envelope_eur"),
        Value("summary"),
        Value("updated_at"),
    )
