"""Public pages of EU funding: programmes (with their calls), projects, and their exports."""

from dialogues.listing import ExportView, FilteredListView, PublishedDetailView, codes, iso

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
    estimate_counts = True  # a million projects are not counted on every request


class ProjectDetailView(PublishedDetailView):
    model = Project
    template_name = "funding/project_detail.html"


def published_call(project):
    call = project.call
    return call if call is not None and call.is_published else None


class ProjectExportView(ExportView):
    model = Project
    filterset_class = ProjectFilterSet
    filename = "projects"
    columns = (
        ("id", lambda p: p.pk),
        ("title", lambda p: p.title),
        ("programme", lambda p: p.programme.slug if p.programme.is_published else None),
        ("call", lambda p: published_call(p).title if published_call(p) else None),
        ("call_total_eur", lambda p: published_call(p).total_amount_eur if published_call(p) else None),
        ("countries", lambda p: codes(p.countries.all())),
        ("topics", lambda p: ";".join(t.slug for t in p.topics.all())),
        ("eu_contribution_eur", lambda p: p.eu_contribution_eur),
        ("starts", lambda p: iso(p.starts)),
        ("ends", lambda p: iso(p.ends)),
        ("status", lambda p: p.status or None),
        ("summary", lambda p: p.summary),
        ("sources", lambda p: ";".join(s.title for s in p.sources.all())),
        ("updated_at", lambda p: p.updated_at),
    )


class ProgrammeExportView(ExportView):
    model = Programme
    filterset_class = ProgrammeFilterSet
    filename = "programmes"
    columns = (
        ("id", lambda p: p.pk),
        ("name", lambda p: p.name),
        ("slug", lambda p: p.slug),
        ("acronym", lambda p: p.acronym or None),
        ("launched", lambda p: iso(p.launched)),
        ("scope", lambda p: p.scope or None),
        ("countries", lambda p: codes(p.countries.all())),
        ("envelope_eur", lambda p: p.envelope_eur),
        ("summary", lambda p: p.summary),
        ("updated_at", lambda p: p.updated_at),
    )
