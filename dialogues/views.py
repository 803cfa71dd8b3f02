"""Public pages of dialogue rounds: the listing, its exports and the detail page."""

from .exports import Codes, Date, ExportView, Value
from .filtersets import DialogueRoundFilterSet
from .listing import FilteredListView, PublishedDetailView
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
    detail_url_name = "dialogueround-detail"
    columns = (
        # a round may be published while its country is not: the country is then never named
        Value("country__iso_code", "country", published_via="country"),
        Value("country__name", "country_name", published_via="country"),
        Date("held_on", "held"),
        Value("held_until"),
        Value("format"),
        Value("sequence_number"),
        Value("number_basis", blank_as_none=True),
        Value("modality", blank_as_none=True),
        Value("alongside", blank_as_none=True),
        Value("alongside_number"),
        Value("place", blank_as_none=True),
        Codes("topics", "slug", order_by="name", names="name", names_header="topic_names"),
        Value("summary"),
        Codes("sources", "title"),
        Value("updated_at"),
    )
