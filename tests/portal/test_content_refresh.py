"""After an edit the task worker stores again the slow pages' contents it dropped
(dialogues_portal/content_refresh.py): the first visitor after it finds them, as they are after
the edit, and nothing of a draft."""

import pytest
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from dialogues.publishing import PublicationStatus
from dialogues_portal import content_refresh
from dialogues_portal.content_refresh import QUEUED_KEY
from dialogues_portal.views.countries import CountryDetailView
from dialogues_portal.views.home import HomeView
from dialogues_portal.views.topics import TopicDetailView
from funding.models import Project

from ..factories import make_country, make_project, make_topic
from ..funding.test_import import project_references, project_row
from ..funding.test_import_background import run_worker
from ..spreadsheets import csv_file, import_file

DRAFT = PublicationStatus.DRAFT


@pytest.fixture
def refreshing(settings):
    settings.REFRESH_CONTENT_AFTER_EDITS = True
    settings.PUBLIC_RESPONSE_CACHE = False  # each request renders its page around the stored content
    cache.clear()


@pytest.fixture
def country(db):
    return make_country(iso_code="KZ", name="Kazakhstan", slug="kazakhstan")


@pytest.fixture
def project(country):
    topic = make_topic(name="Torture prevention XX-TEST")
    title = "Prison monitoring XX-TEST"
    return make_project(title=title, countries=[country], topics=[topic], eu_contribution_eur=1000)


def queued():
    return DBTaskResult.objects.ready().filter(task_path__endswith="content_refresh.refresh_content").count()


def save(callbacks, record, **changes):
    """Save `record` with `changes` and commit (run what waits for the commit)."""
    with callbacks(execute=True):
        for field, value in changes.items():
            setattr(record, field, value)
        record.save()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def stored_content(view_class, record=None):
    key = f"portal:value:page-content:en:{view_class.__name__}:{record.pk if record else ''}"
    entry = cache.get(key)
    return None if entry is None else entry[1]


def fresh_content(view_class, record=None):
    view = view_class()
    view.object = record
    with translation.override("en"):
        return view.render_content()


def test_an_edit_queues_one_refresh_however_many_records_it_saves(
    refreshing, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        project.eu_contribution_eur = 2500
        project.save()
        project.topics.set([])
        project.countries.set(project.countries.all())
    assert queued() == 1
    save(django_capture_on_commit_callbacks, project, title="Prison monitoring XX-TEST again")
    assert queued() == 1  # one is waiting: a second would find nothing more to do


def test_after_the_refresh_the_home_and_country_pages_are_stored_as_the_edit_left_them(
    refreshing, client, country, project, django_capture_on_commit_callbacks
):
    client.get("/en/")  # stored before the edit
    save(django_capture_on_commit_callbacks, project, eu_contribution_eur=2500)
    before_refresh, _page = queries(client, "/en/")
    cache.clear()
    save(django_capture_on_commit_callbacks, project, eu_contribution_eur=3500)

    run_worker()

    after_refresh, page = queries(client, "/en/")
    assert after_refresh == 0 < before_refresh  # the content and every figure in it were stored
    assert "€3,500" in page and "€2,500" not in page
    assert stored_content(HomeView) == fresh_content(HomeView)
    country = CountryDetailView().get_queryset().get(pk=country.pk)
    assert stored_content(CountryDetailView, country) == fresh_content(CountryDetailView, country)
    topic = TopicDetailView().get_queryset().get(name="Torture prevention XX-TEST")
    assert "Prison monitoring XX-TEST" in stored_content(TopicDetailView, topic)
    assert stored_content(TopicDetailView, topic) == fresh_content(TopicDetailView, topic)
    assert cache.get("portal:value:page-content:ru:HomeView:") is not None  # every language
    assert queued() == 0


def test_the_refresh_stores_nothing_of_a_draft(refreshing, country, project, django_capture_on_commit_callbacks):
    draft_country = make_country(iso_code="TM", name="Draft country XX-DRAFT", publication_status=DRAFT)
    draft = make_project(
        title="Draft project XX-DRAFT", countries=[country], eu_contribution_eur=987654, publication_status=DRAFT
    )
    save(django_capture_on_commit_callbacks, draft, eu_contribution_eur=987655)
    run_worker()
    home = stored_content(HomeView)
    assert "XX-DRAFT" not in home and "987,65" not in home
    assert stored_content(CountryDetailView, draft_country) is None


def test_a_running_refresh_lets_the_next_edit_queue_another(refreshing, project, django_capture_on_commit_callbacks):
    save(django_capture_on_commit_callbacks, project, eu_contribution_eur=2500)
    result = DBTaskResult.objects.ready().get()
    cache.delete(QUEUED_KEY)  # as the task does first
    save(django_capture_on_commit_callbacks, project, eu_contribution_eur=3500)
    assert queued() == 2
    result.delete()


def test_without_a_shared_cache_no_refresh_is_queued(settings, project, django_capture_on_commit_callbacks):
    settings.REFRESH_CONTENT_AFTER_EDITS = False
    cache.clear()
    save(django_capture_on_commit_callbacks, project, eu_contribution_eur=2500)
    assert queued() == 0


def test_an_edit_is_saved_when_the_refresh_cannot_be_queued(
    refreshing, client, project, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    class Unqueueable:
        def enqueue(self):
            raise DatabaseError("the task table is locked")

    monkeypatch.setattr(content_refresh, "refresh_content", Unqueueable())
    save(django_capture_on_commit_callbacks, project, eu_contribution_eur=2500)
    project.refresh_from_db()
    assert project.eu_contribution_eur == 2500
    assert "could not queue the refresh" in caplog.text
    assert cache.get(QUEUED_KEY) is None  # the next edit tries again
    assert client.get("/en/").status_code == 200


def test_a_spreadsheet_import_queues_a_refresh_too(refreshing, editor_client, django_capture_on_commit_callbacks):
    known = project_references()
    with django_capture_on_commit_callbacks(execute=True):
        response = import_file(editor_client, Project, csv_file([project_row(known, 1), project_row(known, 2)]))
    assert response.status_code == 302
    assert Project.objects.filter(title__startswith="Access to justice").count() == 2
    assert queued() == 1


def test_the_refresh_of_many_pages_leaves_each_stored(
    refreshing, client, country, project, django_capture_on_commit_callbacks
):
    """Every page's sections and figures fit in the local cache together: with Django's default
    of 300 entries, forty topic pages in two languages pushed the home page out before its visitor came."""
    for n in range(40):
        make_topic(name=f"Topic {n} XX-TEST", slug=f"many-{n}")
    save(django_capture_on_commit_callbacks, project, eu_contribution_eur=2500)
    run_worker()
    urls = ("/en/", "/en/countries/kazakhstan/", "/ru/", "/en/topics/many-0/")
    first = [queries(client, url)[0] for url in urls]
    assert first == [queries(client, url)[0] for url in urls]  # nothing was left to compute
    assert first[0] == 0
