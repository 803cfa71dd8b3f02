"""Public pages of seminars: the listing, its exports and the detail page."""

from dialogues.exports import Codes, Date, ExportView, Value
from dialogues.listing import FilteredListView, PublishedDetailView

from .filtersets import SeminarFilterSet
from .models import Seminar


class SeminarListView(FilteredListView):
    model = Seminar
    filterset_class = SeminarFilterSet
    template_name = "seminars/seminar_list.html"
    export_url_name = "seminar-export"


class SeminarDetailView(PublishedDetailView):
    model = Seminar
    template_name = "seminars/seminar_detail.html"


class SeminarExportView(ExportView):
    model = Seminar
    filterset_class = SeminarFilterSet
    filename = "seminars"
    detail_url_name = "seminar-detail"
    columns = (
        Value("title"),
        Value("kind"),
        Codes("countries", "iso_code", order_by="name", names="name", names_header="country_names"),
        Value("city", blank_as_none=True),
        Date("held_on", "held"),
        Value("date_note", blank_as_none=True),
        Value("dialogue_round_id", "dialogue_round", published_via="dialogue_round"),
        Codes("topics", "slug", order_by="name", names="name", names_header="topic_names"),
        Value("participating_organisations"),
        # "more than 70" stays "more than" 70: the number alone would read as exact
        Value("participating_organisations_qualifier"),
        Value("edition"),
        Value("theme", blank_as_none=True),
        Value("summary"),
        Codes("sources", "title"),
        Value("updated_at"),
    )
