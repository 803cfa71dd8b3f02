"""Public pages of seminars: the listing, its exports and the detail page."""

from dialogues.listing import ExportView, FilteredListView, PublishedDetailView, codes, iso

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


def dialogue_round_id(seminar):
    round_ = seminar.dialogue_round
    return round_.pk if round_ is not None and round_.is_published else None


class SeminarExportView(ExportView):
    model = Seminar
    filterset_class = SeminarFilterSet
    filename = "seminars"
    columns = (
        ("id", lambda s: s.pk),
        ("title", lambda s: s.title),
        ("kind", lambda s: s.kind),
        ("countries", lambda s: codes(s.countries.all())),
        ("city", lambda s: s.city or None),
        ("held", lambda s: iso(s.held)),
        ("date_note", lambda s: s.date_note or None),
        ("dialogue_round", dialogue_round_id),
        ("topics", lambda s: ";".join(t.slug for t in s.topics.all())),
        ("participating_organisations", lambda s: s.participating_organisations),
        ("summary", lambda s: s.summary),
        ("sources", lambda s: ";".join(src.title for src in s.sources.all())),
        ("updated_at", lambda s: s.updated_at),
    )
