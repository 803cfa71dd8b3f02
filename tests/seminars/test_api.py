"""The API for seminars: reading, filters, queries, and an editor creating one with a token."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from seminars.models import Recommendation, Seminar
from tests.api_helpers import results
from tests.factories import (
    DRAFT,
    make_country,
    make_organisation,
    make_round,
    make_seminar,
    make_source,
    make_topic,
)


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.django_db
def test_seminar_detail_shows_organisers_recommendations_and_round(api):
    kz = make_country("KZ", name="Kazakhstan")
    round_ = make_round(country=kz)
    seminar = make_seminar(countries=[kz], dialogue_round=round_, held_on_precision="year")
    seminar.organisers.set([make_organisation(name="Bureau"), make_organisation(publication_status=DRAFT)])
    Recommendation.objects.create(seminar=seminar, text="Abolish the death penalty.", position=1)
    body = api.get(f"/api/v1/seminars/{seminar.pk}/").json()
    assert body["held"] == {"date": "2009", "precision": "year"}
    assert [o["name"] for o in body["organisers"]] == ["Bureau"]
    assert body["recommendations"] == ["Abolish the death penalty."]
    assert body["dialogue_round"]["id"] == round_.pk
    assert body["dialogue_round"]["country"] == "KZ"
    assert body["countries"][0]["code"] == "KZ"


@pytest.mark.django_db
def test_a_draft_round_of_a_seminar_reads_as_null_for_the_public(api):
    seminar = make_seminar(dialogue_round=make_round(publication_status=DRAFT))
    assert api.get(f"/api/v1/seminars/{seminar.pk}/").json()["dialogue_round"] is None


@pytest.mark.django_db
def test_draft_seminar_is_hidden_from_the_public(api, editor):
    draft = make_seminar(publication_status=DRAFT)
    assert results(api.get("/api/v1/seminars/")) == []
    assert api.get(f"/api/v1/seminars/{draft.pk}/").status_code == 404
    client = APIClient()
    client.force_authenticate(editor)
    assert client.get(f"/api/v1/seminars/{draft.pk}/").status_code == 200


@pytest.fixture
def seminars(db):
    kz, kg = make_country("KZ"), make_country("KG")
    media = make_topic(slug="media-freedom")
    return {
        "almaty": make_seminar(countries=[kz], city="Almaty", held_on=datetime.date(2009, 6, 1), title="A"),
        "bishkek": make_seminar(
            countries=[kg], held_on=datetime.date(2013, 6, 1), topics=[media], kind="forum", title="B"
        ),
        "regional": make_seminar(countries=[kz, kg], held_on=None, held_on_precision="", title="C regional"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KZ", {"almaty", "regional"}),
        ("country=KG,kz", {"almaty", "bishkek", "regional"}),
        ("topic=media-freedom", {"bishkek"}),
        ("year_from=2010", {"bishkek"}),
        ("year_to=2010", {"almaty"}),
        ("kind=forum", {"bishkek"}),
        ("q=almaty", {"almaty"}),
        ("q=regional", {"regional"}),
    ],
)
def test_seminar_filters(api, seminars, query, expected):
    found = {s["id"] for s in results(api.get(f"/api/v1/seminars/?{query}"))}
    assert found == {seminars[name].pk for name in expected}


def test_seminar_ordering(api, seminars):
    titles = [s["title"] for s in results(api.get("/api/v1/seminars/?ordering=-title"))]
    assert titles == ["C regional", "B", "A"]


@pytest.mark.parametrize("query", ["country=ZZ", "topic=nope", "year_from=x", "kind=party", "ordering=secret"])
def test_an_invalid_seminar_filter_is_a_400(api, seminars, query):
    response = api.get(f"/api/v1/seminars/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


@pytest.mark.parametrize("rows", [1, 55])
def test_seminar_list_queries(api, django_assert_max_num_queries, db, rows):
    source, kz, topic = make_source(), make_country("KZ"), make_topic()
    round_ = make_round(country=kz, sources=[source])
    for _ in range(rows):
        make_seminar(countries=[kz], topics=[topic], sources=[source], dialogue_round=round_)
    # 1 COUNT, 2 the seminars with their round and its country (joins), 3 their countries,
    # 4 their published topics, 5 their published sources.
    with django_assert_max_num_queries(5):
        assert len(results(api.get("/api/v1/seminars/?page_size=100"))) == rows


@pytest.mark.django_db
def test_seminar_detail_queries(api, django_assert_max_num_queries):
    seminar = make_seminar()
    seminar.organisers.set([make_organisation()])
    # 1 the seminar and its round, 2 countries, 3 topics, 4 sources, 5 organisers, 6 recommendations,
    # 7 citations of its values.
    with django_assert_max_num_queries(7):
        assert api.get(f"/api/v1/seminars/{seminar.pk}/").status_code == 200


# --- Writing: the README's example, an editor with a token creating a seminar --------------------


def new_seminar(**fields):
    return {
        "title": "Civil society seminar on freedom of expression",
        "kind": "seminar",
        "countries": ["KZ"],
        "city": "Almaty",
        "held": {"date": "2010-11", "precision": "month"},
        "topics": ["media-freedom"],
        **fields,
    }


@pytest.mark.django_db
def test_an_editor_with_a_token_creates_a_seminar(editor):
    make_country("KZ")
    make_topic(slug="media-freedom")
    source = make_source()
    response = token_client(editor).post("/api/v1/seminars/", new_seminar(sources=[source.pk]), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["publication_status"] == "draft"
    assert [c["code"] for c in body["countries"]] == ["KZ"]
    assert body["url"] == f"http://testserver/api/v1/seminars/{body['id']}/"
    seminar = Seminar.objects.get()
    assert seminar.held_on == datetime.date(2010, 11, 1)
    assert list(seminar.sources.all()) == [source]
    assert seminar.history.first().history_user == editor


@pytest.mark.django_db
def test_anonymous_may_not_create_a_seminar(api):
    make_country("KZ")
    assert api.post("/api/v1/seminars/", new_seminar(topics=[]), format="json").status_code == 401
    assert not Seminar.objects.exists()


@pytest.mark.django_db
def test_staff_without_the_permission_may_not_create_a_seminar(staff_without_permissions):
    make_country("KZ")
    response = token_client(staff_without_permissions).post("/api/v1/seminars/", new_seminar(topics=[]), format="json")
    assert response.status_code == 403
    assert not Seminar.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (new_seminar(countries=[]), "countries"),
        (new_seminar(countries=["XX"]), "countries"),
        (new_seminar(title=""), "title"),
        (new_seminar(held={"date": "2010-02-30"}), "held"),
        (new_seminar(held="2010"), "held"),
        (new_seminar(dialogue_round=123456), "dialogue_round"),
        (new_seminar(participating_organisations=-1), "participating_organisations"),
    ],
)
def test_an_invalid_seminar_is_a_400_and_writes_nothing(editor, payload, field):
    make_country("KZ")
    make_topic(slug="media-freedom")
    response = token_client(editor).post("/api/v1/seminars/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Seminar.objects.exists()


@pytest.mark.django_db
def test_an_editor_replaces_the_countries_of_a_seminar(editor):
    seminar = make_seminar(countries=[make_country("KZ")], publication_status="draft")  # a draft: changed at once
    make_country("KG")
    response = token_client(editor).patch(f"/api/v1/seminars/{seminar.pk}/", {"countries": ["kg"]}, format="json")
    assert response.status_code == 200, response.content
    assert [c["code"] for c in response.json()["countries"]] == ["KG"]
