"""The About and Data pages, the "cite this record" line, each listing's API call, /favicon.ico."""

import csv
import datetime
import io

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from dialogues.exports import ExportView
from dialogues.models import Concern, Country, DialogueRound, PublisherKind, Source, Topic
from dialogues_portal.views.about import EXPORTS
from funding.models import Programme, Project
from seminars.models import Seminar
from tests.factories import DRAFT, make_country, make_records, make_round
from tests.portal.test_settings import run_with

pytestmark = pytest.mark.django_db


def test_about_page_describes_the_method_and_names_no_contact_or_licence_unless_set(client):
    response = client.get(reverse("about"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "maintained by the project's contributors" in html and "MIT licence" in html
    for label in PublisherKind.labels:  # the kinds a source is recorded with, from the model
        assert str(label) in html
    assert "never added to it" in html  # approximate and cumulative figures
    assert "set by the portal's operator" in html and "has not named a contact" in html
    assert "mailto:" not in html and 'rel="license"' not in html


def test_about_page_shows_the_contact_and_licence_the_operator_sets(client, settings):
    settings.PORTAL_CONTACT_URL = "https://tracker.example/portal/issues"
    settings.PORTAL_CONTACT_EMAIL = "corrections@example.org"
    settings.DATA_LICENCE = "An example licence"
    settings.DATA_LICENCE_URL = "https://licence.example/"
    html = client.get(reverse("about")).content.decode()
    assert '<a href="https://tracker.example/portal/issues">' in html
    assert 'href="mailto:corrections@example.org"' in html
    assert '<a href="https://licence.example/" rel="license">An example licence</a>' in html
    assert "has not named a contact" not in html and "set by the portal's operator" not in html


@pytest.mark.parametrize(("name", "heading"), [("about", "О портале"), ("data", "Данные и API")])
def test_the_about_and_data_pages_speak_russian(client, name, heading):
    make_round()
    with translation.override("ru"):
        url = reverse(name)
    html = client.get(url).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert "Who maintains it" not in html and "Data dictionary" not in html


@pytest.mark.parametrize(
    ("name", "value"),
    [("PORTAL_CONTACT_URL", "javascript:alert(1)"), ("PORTAL_CONTACT_EMAIL", "nobody"), ("DATA_LICENCE_URL", "x")],
)
def test_a_malformed_contact_or_licence_address_fails_loudly_naming_the_variable(name, value):
    result = run_with(**{name: value})
    assert result.returncode != 0 and name in result.stderr


def export_url_names(patterns=None, namespace=""):
    """Every URL whose view is an ExportView, by name: what the Data page must list."""
    found = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found |= export_url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", None)
            if view is not None and issubclass(view, ExportView):
                found.add(pattern.name)
    return found


def test_the_data_page_lists_every_export():
    assert set(EXPORTS) == export_url_names()


def test_the_data_dictionary_names_every_column_of_each_download_in_order(client):
    make_round()
    response = client.get(reverse("data"))
    assert response.status_code == 200
    html = response.content.decode()
    for table, name in zip(response.context["tables"], EXPORTS, strict=True):
        for fmt in ("csv", "json", "xlsx"):
            assert f'href="{reverse(name, kwargs={"fmt": fmt})}"' in html
        body = b"".join(client.get(reverse(name, kwargs={"fmt": "csv"})).streaming_content).decode("utf-8-sig")
        header = next(csv.reader(io.StringIO(body)))
        assert [entry.column for entry in table.columns] == header
        assert all(entry.meaning and entry.values for entry in table.columns)
        for entry in table.columns:
            assert f"<code>{entry.column}</code>" in html


def test_the_data_page_links_the_api_and_its_documentation(client):
    html = client.get(reverse("data")).content.decode()
    for url in (reverse("api:api-root"), reverse("api:docs"), reverse("api:schema"), reverse("api:concern-list")):
        assert f'href="{url}"' in html


def test_drafts_are_never_counted_on_the_data_page_nor_in_its_downloads(client):
    country = make_country()
    make_round(country=country, summary="published one")
    make_round(country=country, summary="published two", held_on=datetime.date(2010, 1, 1))
    make_round(country=country, summary="a draft round", held_on=datetime.date(2011, 1, 1), publication_status=DRAFT)
    response = client.get(reverse("data"))
    rounds = next(table for table in response.context["tables"] if table.api_url == reverse("api:dialogueround-list"))
    assert rounds.records == 2
    for fmt in ("csv", "json"):
        body = b"".join(client.get(reverse("dialogueround-export", kwargs={"fmt": fmt})).streaming_content).decode()
        assert "published two" in body and "a draft round" not in body


def test_the_footer_links_to_about_data_and_the_api(client):
    html = client.get(reverse("home")).content.decode()
    for url in (reverse("about"), reverse("data"), reverse("api:api-root"), reverse("api:docs")):
        assert f'href="{url}"' in html


RECORD_PAGES = [
    (DialogueRound, str),
    (Seminar, lambda record: record.title),
    (Project, lambda record: record.title),
    (Programme, lambda record: record.name),
    (Country, lambda record: record.name),
    (Topic, lambda record: record.name),
    (Concern, lambda record: record.title),
    (Source, lambda record: record.title),
]


@pytest.mark.parametrize(("model", "title"), RECORD_PAGES, ids=lambda value: getattr(value, "__name__", ""))
def test_every_record_page_has_a_cite_line(client, real_data_shared, model, title):
    record = model.objects.published().order_by("pk").first()
    html = client.get(record.get_absolute_url()).content.decode()
    url = f"http://testserver{record.get_absolute_url()}"
    cite = html[html.index('class="cite-record"') :]
    assert "Cite this record" in cite and f'<a href="{url}">{url}</a>' in cite
    assert title(record).replace("'", "&#x27;") in cite and "Human Rights Dialogues Portal" in cite
    # the date of access is the reader's (static/js/cite.js); the cached page holds a placeholder
    assert "<span data-accessed>[date of access]</span>" in cite and static("js/cite.js") in cite


def identifiers(records):
    return [record["id"] if "id" in record else record["slug"] for record in records]


LISTINGS = [
    ("dialogueround-list", {"country": "KZ"}),
    ("dialogueround-list", {"page": "2"}),
    ("seminar-list", {"year_from": "2009", "ordering": "title"}),
    ("programme-list", {}),
    ("project-list", {"country": "KZ", "programme": "eidhr"}),
    ("project-list", {"page": "2"}),
    ("source-list", {"q": "Kazakhstan"}),
    ("concern-list", {"country": "KZ"}),
]


@pytest.mark.parametrize(("listing", "query"), LISTINGS)
def test_the_api_call_behind_each_listing_returns_the_records_it_shows(client, real_data_shared, listing, query):
    response = client.get(reverse(listing), query)
    page = response.context["object_list"]
    assert page, "a listing with records"
    api_path = response.context["api_path"]
    assert f"<code>http://testserver{api_path.replace('&', '&amp;')}</code>" in response.content.decode()
    api = client.get(api_path, HTTP_ACCEPT="application/json")
    assert api.status_code == 200
    shown = [record.pk if "id" in api.json()["results"][0] else record.slug for record in page]
    assert identifiers(api.json()["results"]) == shown


@pytest.mark.parametrize(
    ("page", "api"),
    [
        (lambda: reverse("country-list"), lambda: reverse("api:country-list")),
        (lambda: reverse("topic-list"), lambda: reverse("api:topic-list")),
        (
            lambda: reverse("country-concerns", kwargs={"slug": "kazakhstan"}),
            lambda: f"{reverse('api:concern-list')}?country=KZ",
        ),
        (lambda: f"{reverse('matrix')}?measure=funding", lambda: f"{reverse('api:matrix')}?measure=funding"),
    ],
)
def test_the_overviews_show_their_api_call_too(client, real_data_shared, page, api):
    assert f"<code>http://testserver{api()}</code>" in client.get(page()).content.decode()
    assert client.get(api(), HTTP_ACCEPT="application/json").status_code == 200


def test_favicon_ico_leads_to_the_static_icon_and_pages_link_it(client):
    response = client.get("/favicon.ico")  # the name browsers ask for, whatever the language prefix
    assert response.status_code == 302 and response["Location"] == static("img/favicon.ico")
    assert finders.find("img/favicon.ico")
    assert f'href="{static("img/favicon.ico")}"' in client.get(reverse("about")).content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_the_about_and_data_pages_make_a_fixed_number_of_queries(client, django_assert_max_num_queries, rows):
    make_records(rows)
    with django_assert_max_num_queries(0):  # settings and templates only
        assert client.get(reverse("about")).status_code == 200
    # one count of published records per export (4), then none until the next edit
    with django_assert_max_num_queries(len(EXPORTS)):
        assert client.get(reverse("data")).status_code == 200
