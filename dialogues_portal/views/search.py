"""Search across every kind of public record, results grouped by kind."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from dialogues.models import Country, DialogueRound, Topic
from dialogues.search import MAX_QUERY_LENGTH, clean_query, search
from funding.models import Programme, Project
from seminars.models import Seminar

PER_GROUP = 10

# (label, model, searched fields, listing URL name taking ?q=, or None)
GROUPS = (
    (_("Countries"), Country, ("name", "summary", "dialogue_start_form"), None),
    (_("Topics"), Topic, ("name", "description"), None),
    (_("Dialogue rounds"), DialogueRound, (*DialogueRound.SEARCH_FIELDS, "country__name"), "dialogueround-list"),
    (_("Seminars"), Seminar, Seminar.SEARCH_FIELDS, "seminar-list"),
    (_("Programmes"), Programme, ("name", "acronym", "summary"), "programme-list"),
    (_("Projects"), Project, Project.SEARCH_FIELDS, "project-list"),
)


class SearchView(TemplateView):
    template_name = "portal/search.html"
    public_response_cache = True  # served again to visitors until the next edit (response_cache.py)
    query_parameters = ("q",)

    def get_context_data(self, **kwargs):
        raw = self.request.GET.get("q", "")
        query = clean_query(raw)
        groups = []
        if query:
            for label, model, fields, list_url in GROUPS:
                matches = search(model.objects.published().for_listing(), query, fields)
                count = matches.count()
                if count:
                    groups.append(
                        {"label": label, "count": count, "records": list(matches[:PER_GROUP]), "list_url": list_url}
                    )
        return super().get_context_data(
            q=raw[:MAX_QUERY_LENGTH],
            query=query,
            truncated=len(" ".join(raw.split())) > MAX_QUERY_LENGTH,
            groups=groups,
            total=sum(group["count"] for group in groups),
            **kwargs,
        )
