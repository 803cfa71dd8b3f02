"""Public pages of dialogue rounds: the listing, its exports and the detail page."""

from .filtersets import DialogueRoundFilterSet
from .listing import ExportView, FilteredListView, PublishedDetailView, iso
from .models import DialogueRound


class DialogueRoundListView(FilteredListView):
    model = DialogueRound
    filterset_class = DialogueRoundFilterSet
    template_name = "dialogues/dialogueround_list.html"
    export_url_name = "dialogueround-export"


class DialogueRoundDetailView(PublishedDetailView):
    model = DialogueRound
    template_name = "dialogues/dialogueround_detail.html"


class DialogueRoundExportView(ExportView):
    model = DialogueRound
    filterset_class = DialogueRoundFilterSet
    filename = "dialogue-rounds"
    columns = (
        ("id", lambda r: r.pk),
        ("country", lambda r: r.country.iso_code),
        ("country_name", lambda r: r.country.name),
        ("held", lambda r: iso(r.held)),
        ("format", lambda r: r.format),
        ("sequence_number", lambda r: r.sequence_number),
        ("place", lambda r: r.place or None),
        ("topics", lambda r: ";".join(t.slug for t in r.topics.all())),
        ("summary", lambda r: r.summary),
        ("sources", lambda r: ";".join(s.title for s in r.sources.all())),
        ("updated_at", lambda r: r.updated_at),
    )
