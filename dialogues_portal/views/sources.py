"""The sources: every page the record cites, and what cites each one."""

from django.views.generic import DetailView

from dialogues.filtersets import SourceFilterSet
from dialogues.listing import FilteredListView
from dialogues.models import Source

# The records a source page lists, by relation name: each published, each with its public page.
CITING = (
    "dialogue_rounds",
    "concerns",
    "seminars",
    "programmes",
    "calls",
    "projects",
    "funding_figures",
    "countries",
    "organisations",
    "topics",
)


class SourceListView(FilteredListView):
    model = Source
    filterset_class = SourceFilterSet
    template_name = "portal/source_list.html"


class SourceDetailView(DetailView):
    template_name = "portal/source_detail.html"
    public_response_cache = True

    def get_queryset(self):
        return Source.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        citing = []
        for name in CITING:
            relation = getattr(self.object, name)
            records = relation.published().order_by("pk")
            if name == "dialogue_rounds":
                records = records.select_related("country")  # a round's title names its country
            records = list(records[:200])
            if records:
                citing.append((relation.model._meta.verbose_name_plural, records))
        entries = self.object.concern_entries.public().select_related("concern", "dialogue_round__country")
        context.update(citing=citing, entries=list(entries.order_by("pk")[:200]))
        return context
