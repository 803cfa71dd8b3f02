"""Search across every kind of public record, results grouped by kind."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from dialogues.languages import in_both_languages
from dialogues.models import Country, DialogueRound, Topic
from dialogues.search import MAX_QUERY_LENGTH, clean_query, search
from funding.models import Programme, Project
from seminars.models import Seminar

PER_GROUP = 10

# (label, model, searched fields, listing URL name taking ?q=, or None)
# A translated field is searched in English and Russian at once (name_en, name_ru: dialogues/languages.py).
GROUPS = (
    (_("Countries"), Country, (*in_both_languages("name", "summary"), "dialogue_start_form"), None),
    (_("Topics"), Topic, in_both_languages("name", "description"), None),
    (
        _("Dialogue rounds"),
        DialogueRound,
        (*DialogueRound.SEARCH_FIELDS, *in_both_languages("country__name")),
        "dialogueround-list",
    ),
    (_("Seminars"), Seminar, Seminar.SEARCH_FIELDS, "seminar-list"),
    (
        _("Programmes"),
        Programme,
        (*in_both_languages("name"), "acronym", *in_both_languages("summary")),
        "programme-list",
    ),
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
