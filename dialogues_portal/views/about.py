"""The About page (what the portal is, its method, its licence, corrections) and the Data page
(every export with its data dictionary, and the API)."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import resolve, reverse
from django.views.generic import TemplateView

from dialogues.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from dialogues.cache import cached
from dialogues.data_dictionary import dictionary
from dialogues.export_xlsx import XLSX_MAX_ROWS
from dialogues.exports import EXPORT_FORMATS
from dialogues.models import PublisherKind

from .. import matrix
from ..api_urls import router

# The public exports, by URL name: each names its view, whose columns make its data dictionary.
EXPORTS = ("dialogueround-export", "seminar-export", "programme-export", "project-export")


class AboutView(TemplateView):
    template_name = "portal/about.html"
    public_response_cache = True  # the whole page, for visitors (dialogues_portal/response_cache.py)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contact_url=settings.PORTAL_CONTACT_URL,
            contact_email=settings.PORTAL_CONTACT_EMAIL,
            data_licence=settings.DATA_LICENCE,
            data_licence_url=settings.DATA_LICENCE_URL,
            publisher_kinds=PublisherKind.labels,
            **kwargs,
        )


@dataclass(frozen=True)
class Table:
    name: str  # the model's verbose name plural
    records: int  # published records: what every download holds
    downloads: list  # [(format, URL)]
    listing_url: str
    api_url: str
    columns: list  # data_dictionary.Entry


def export_view(url_name):
    return resolve(reverse(url_name, kwargs={"fmt": "csv"})).func.view_class


def published_counts():
    """{export URL name: its published records}, until the next edit (dialogues/cache.py)."""
    return cached(
        "data-page-counts",
        lambda: {name: export_view(name).model.objects.published().count() for name in EXPORTS},
    )


def tables():
    counts = published_counts()
    found = []
    for name in EXPORTS:
        view = export_view(name)
        opts = view.model._meta
        found.append(
            Table(
                name=str(opts.verbose_name_plural),
                records=counts[name],
                downloads=[(fmt.upper(), reverse(name, kwargs={"fmt": fmt})) for fmt in EXPORT_FORMATS],
                listing_url=reverse(f"{opts.model_name}-list"),
                api_url=reverse(f"api:{opts.model_name}-list"),
                columns=dictionary(view),
            )
        )
    return found


class DataView(TemplateView):
    template_name = "portal/data.html"
    public_response_cache = True

    def get_context_data(self, **kwargs):
        resources = [(prefix, reverse(f"api:{basename}-list")) for prefix, _viewset, basename in router.registry]
        return super().get_context_data(
            tables=tables(),
            matrix_columns=matrix.CSV_COLUMNS,
            xlsx_max_rows=XLSX_MAX_ROWS,
            api_resources=resources,
            api_page_size=DEFAULT_PAGE_SIZE,
            api_max_page_size=MAX_PAGE_SIZE,
            **kwargs,
        )
