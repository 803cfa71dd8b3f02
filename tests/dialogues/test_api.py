"""The API for the core records: countries, topics, organisations, sources, dialogue rounds."""

import datetime

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dialogues.models import Country, DialogueRound, Source, Topic
from tests.api_helpers import as_user, results
from tests.factories import (
    DRAFT,
    PUBLISHED,
    make_country,
    make_organisation,
    make_round,
    make_source,
    make_topic,
)

# --- Reading ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_country_detail_by_iso_code_in_any_case(api):
    make_country("KZ", name="Kazakhstan", slug="kazakhstan")
    for code in ("KZ", "kz", "Kz"):
        body = api.get(f"/api/v1/countries/{code}/").json()
        assert body["code"] == "KZ"
        assert body["url"] == "http://testserver/api/v1/countries/KZ/"
        assert body["summary_url"] == "http://testserver/api/v1/countries/KZ/summary/"


@pytest.mark.django_db
def test_unknown_identifiers_are_404(api):
    assert api.get("/api/v1/countries/XX/").status_code == 404
    assert api.get("/api/v1/countries/toolong/").status_code == 404
    assert api.get("/api/v1/topics/no-such-topic/").status_code == 404
    assert api.get("/api/v1/dialogue-rounds/999999/").status_code == 404
    assert api.get("/api/v1/dialogue-rounds/not-a-number/").status_code == 404
    assert api.get("/api/v1/organisations/99999999999999999999999/").status_code == 404
    assert api.get("/api/v1/sources/0/").json() == {"detail": "No Source matches the given query."}


@pytest.mark.django_db
def test_topic_detail_by_slug(api):
    make_topic(slug="torture-prevention", name="Prevention of torture")
    assert api.get("/api/v1/topics/torture-prevention/").json()["name"] == "Prevention of torture"


@pytest.mark.django_db
def test_draft_round_is_hidden_from_the_public(api):
    draft = make_round(publication_status=DRAFT)
    public = make_round()
    assert [r["id"] for r in results(api.get("/api/v1/dialogue-rounds/"))] == [public.pk]
    assert api.get(f"/api/v1/dialogue-rounds/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_drafts_are_visible_to_an_editor(editor):
    draft = make_round(publication_status=DRAFT)
    client = as_user(editor)
    assert client.get(f"/api/v1/dialogue-rounds/{draft.pk}/").json()["publication_status"] == "draft"
    assert [r["id"] for r in results(client.get("/api/v1/dialogue-rounds/"))] == [draft.pk]


@pytest.mark.django_db
def test_draft_sources_of_a_record_are_not_shown(api):
    shown, hidden = make_source(title="Shown"), make_source(title="Hidden", publication_status=DRAFT)
    record = make_round(sources=[shown, hidden])
    body = api.get(f"/api/v1/dialogue-rounds/{record.pk}/").json()
    assert [s["name"] for s in body["sources"]] == ["Shown"]
    assert body["sources"][0]["url"] == f"http://testserver/api/v1/sources/{shown.pk}/"


@pytest.mark.django_db
def test_a_draft_country_of_an_organisation_reads_as_null_for_the_public(api, editor):
    organisation = make_organisation(country=make_country("TM", publication_status=DRAFT))
    assert api.get(f"/api/v1/organisations/{organisation.pk}/").json()["country"] is None
    assert as_user(editor).get(f"/api/v1/organisations/{organisation.pk}/").json()["country"]["code"] == "TM"


@pytest.mark.django_db
def test_a_round_shows_its_date_with_precision_and_its_relations_by_identifier(api):
    topic = make_topic(slug="death-penalty", name="Death penalty")
    record = make_round(
        country=make_country("UZ", name="Uzbekistan"),
        held_on=datetime.date(2008, 6, 17),
        held_on_precision="month",
        topics=[topic],
    )
    body = api.get(f"/api/v1/dialogue-rounds/{record.pk}/").json()
    assert body["held"] == {"date": "2008-06", "precision": "month"}
    assert body["country"] == {"code": "UZ", "name": "Uzbekistan", "url": "http://testserver/api/v1/countries/UZ/"}
    assert body["topics"] == [
        {"slug": "death-penalty", "name": "Death penalty", "url": "http://testserver/api/v1/topics/death-penalty/"}
    ]


# --- Filters: every parameter of the FilterSets, and invalid values --------------------------


@pytest.fixture
def rounds(db):
    kz, kg, tj = make_country("KZ"), make_country("KG"), make_country("TJ")
    torture = make_topic(slug="torture")
    return {
        "kz2008": make_round(country=kz, held_on=datetime.date(2008, 10, 1), summary="Prison monitoring"),
        "kg2012": make_round(country=kg, held_on=datetime.date(2012, 5, 1), topics=[torture], format="subcommittee"),
        "tj2016": make_round(country=tj, held_on=datetime.date(2016, 3, 1), place="Dushanbe"),
    }


def round_ids(client, query):
    return {r["id"] for r in results(client.get(f"/api/v1/dialogue-rounds/?{query}"))}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KZ", {"kz2008"}),
        ("country=kz,KG", {"kz2008", "kg2012"}),
        ("country=KZ&country=TJ", {"kz2008", "tj2016"}),
        ("topic=torture", {"kg2012"}),
        ("year_from=2012", {"kg2012", "tj2016"}),
        ("year_to=2012", {"kz2008", "kg2012"}),
        ("year_from=2010&year_to=2014", {"kg2012"}),
        ("format=subcommittee", {"kg2012"}),
        ("q=prison", {"kz2008"}),
        ("q=dushanbe", {"tj2016"}),
    ],
)
def test_round_filters(api, rounds, query, expected):
    assert round_ids(api, query) == {rounds[name].pk for name in expected}


def test_round_ordering(api, rounds):
    oldest_first = [r["id"] for r in results(api.get("/api/v1/dialogue-rounds/?ordering=date"))]
    assert oldest_first == [rounds["kz2008"].pk, rounds["kg2012"].pk, rounds["tj2016"].pk]
    newest_first = [r["id"] for r in results(api.get("/api/v1/dialogue-rounds/?ordering=-date"))]
    assert newest_first == oldest_first[::-1]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("country=XX", "country"),
        ("topic=no-such-topic", "topic"),
        ("year_from=abc", "year_from"),
        ("year_to=99999", "year_to"),
        ("format=weekly", "format"),
        ("ordering=password", "ordering"),
        (f"q={'x' * 1001}", "q"),
    ],
)
def test_an_invalid_round_filter_is_a_400_naming_the_parameter(api, rounds, query, field):
    response = api.get(f"/api/v1/dialogue-rounds/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.django_db
def test_a_draft_country_is_not_a_valid_filter_value_for_the_public(api):
    make_round(country=make_country("TM", publication_status=DRAFT))
    assert api.get("/api/v1/dialogue-rounds/?country=TM").status_code == 400


@pytest.mark.django_db
def test_organisation_filters(api):
    kz = make_country("KZ")
    ngo = make_organisation(country=kz, kind="ngo", name="Bureau for Human Rights")
    delegation = make_organisation(kind="eu_delegation", name="EU Delegation")
    ids = lambda query: {o["id"] for o in results(api.get(f"/api/v1/organisations/?{query}"))}  # noqa: E731
    assert ids("country=KZ") == {ngo.pk}
    assert ids("kind=eu_delegation") == {delegation.pk}
    assert ids("q=bureau") == {ngo.pk}
    assert api.get("/api/v1/organisations/?kind=club").status_code == 400


@pytest.mark.django_db
def test_country_topic_and_source_search(api):
    make_country("KZ", name="Kazakhstan", slug="kazakhstan")
    make_country("KG", name="Kyrgyz Republic", slug="kyrgyz-republic")
    make_topic(name="Freedom of expression", slug="freedom-of-expression")
    make_source(title="Press release on Tajikistan")
    assert [c["code"] for c in results(api.get("/api/v1/countries/?q=kyrgyz"))] == ["KG"]
    assert [t["slug"] for t in results(api.get("/api/v1/topics/?q=expression"))] == ["freedom-of-expression"]
    assert [s["title"] for s in results(api.get("/api/v1/sources/?q=tajikistan"))] == ["Press release on Tajikistan"]


# --- A fixed number of queries whatever the rows -----------------------------------------------


def _many(factory, n):
    for _ in range(n):
        factory()


@pytest.mark.parametrize("rows", [1, 55])
def test_country_list_queries(api, django_assert_max_num_queries, db, rows):
    source = make_source()
    _many(lambda: make_country(sources=[source]), rows)
    # 1 COUNT, 2 the countries, 3 their published sources.
    with django_assert_max_num_queries(3):
        assert len(results(api.get("/api/v1/countries/?page_size=100"))) == rows


@pytest.mark.parametrize("rows", [1, 55])
def test_topic_list_queries(api, django_assert_max_num_queries, db, rows):
    source = make_source()
    _many(lambda: make_topic(sources=[source]), rows)
    # 1 COUNT, 2 the topics, 3 their published sources.
    with django_assert_max_num_queries(3):
        assert len(results(api.get("/api/v1/topics/?page_size=100"))) == rows


@pytest.mark.parametrize("rows", [1, 55])
def test_organisation_list_queries(api, django_assert_max_num_queries, db, rows):
    source, kz = make_source(), make_country("KZ")
    _many(lambda: make_organisation(country=kz, sources=[source]), rows)
    # 1 COUNT, 2 the organisations with their country (a join), 3 their published sources.
    with django_assert_max_num_queries(3):
        assert len(results(api.get("/api/v1/organisations/?page_size=100"))) == rows


@pytest.mark.parametrize("rows", [1, 55])
def test_source_list_queries(api, django_assert_max_num_queries, db, rows):
    _many(make_source, rows)
    # 1 COUNT, 2 the sources.
    with django_assert_max_num_queries(2):
        assert len(results(api.get("/api/v1/sources/?page_size=100"))) == rows


@pytest.mark.parametrize("rows", [1, 55])
def test_dialogue_round_list_queries(api, django_assert_max_num_queries, db, rows):
    source, kz, topic = make_source(), make_country("KZ"), make_topic()
    _many(lambda: make_round(country=kz, topics=[topic], sources=[source], held_on_precision="year"), rows)
    # 1 the country codes asked for (the filter checks them), 2 COUNT, 3 the rounds with their country
    # (a join), 4 their published topics, 5 their published sources.
    with django_assert_max_num_queries(5):
        assert len(results(api.get("/api/v1/dialogue-rounds/?page_size=100&country=KZ"))) == rows


@pytest.mark.django_db
def test_country_detail_queries(api, django_assert_max_num_queries):
    make_country("KZ").dialogue_topics.set([make_topic()])
    # 1 the country, 2 its published sources, 3 its published dialogue topics, 4 its citations.
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/countries/KZ/").status_code == 200


# --- Writing -----------------------------------------------------------------------------------


def new_round(country="KZ", **fields):
    return {"country": country, "held": {"date": "2011-10", "precision": "month"}, "format": "structured", **fields}


@pytest.mark.django_db
def test_a_round_no_source_dates_is_created_by_its_number_and_read_back_undated(editor):
    make_country("KZ")
    client = as_user(editor)
    response = client.post("/api/v1/dialogue-rounds/", new_round(held=None, sequence_number=3), format="json")

    assert response.status_code == 201, response.json()
    created = DialogueRound.objects.get()
    assert (created.held_on, created.held_on_precision, created.sequence_number) == (None, "", 3)
    body = client.get(f"/api/v1/dialogue-rounds/{created.pk}/").json()
    assert body["held"] is None
    assert body["sequence_number"] == 3
    assert str(created) == "3rd EU–Country KZ human rights dialogue"  # no date in its title


@pytest.mark.django_db
def test_anonymous_writes_are_refused(api):
    record = make_round()
    assert api.post("/api/v1/dialogue-rounds/", new_round(), format="json").status_code == 401
    assert api.patch(f"/api/v1/dialogue-rounds/{record.pk}/", {"place": "x"}, format="json").status_code == 401
    assert api.delete(f"/api/v1/dialogue-rounds/{record.pk}/").status_code == 401
    assert DialogueRound.objects.count() == 1


@pytest.mark.django_db
def test_staff_without_the_permission_may_not_write(staff_without_permissions):
    make_country("KZ")
    response = as_user(staff_without_permissions).post("/api/v1/dialogue-rounds/", new_round(), format="json")
    assert response.status_code == 403
    assert not DialogueRound.objects.exists()


@pytest.mark.django_db
def test_an_editor_creates_a_round_as_a_draft(editor):
    make_country("KZ")
    source = make_source()
    response = as_user(editor).post("/api/v1/dialogue-rounds/", new_round(sources=[source.pk]), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["publication_status"] == "draft"
    assert body["held"] == {"date": "2011-10", "precision": "month"}
    assert [s["id"] for s in body["sources"]] == [source.pk]
    record = DialogueRound.objects.get()
    assert (record.held_on, record.held_on_precision) == (datetime.date(2011, 10, 1), "month")


@pytest.mark.django_db
@pytest.mark.parametrize("relations", [{"sources": {}}, {"topics": {}}, {"sources": {"1": 1}}])
def test_an_object_where_a_list_of_references_is_expected_is_a_400(editor, relations):
    """DRF read any iterable as the list: `{}` was taken as "no sources" and removed them all."""
    topic, source = make_topic(), make_source()
    record = make_round(publication_status=DRAFT, topics=[topic], sources=[source])
    response = as_user(editor).patch(f"/api/v1/dialogue-rounds/{record.pk}/", relations, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == list(relations)
    assert list(record.sources.all()) == [source]
    assert list(record.topics.all()) == [topic]


@pytest.mark.django_db
def test_an_editor_may_not_publish(editor):
    make_country("KZ")
    source = make_source()
    client = as_user(editor)
    payload = new_round(sources=[source.pk], publication_status="published")
    assert client.post("/api/v1/dialogue-rounds/", payload, format="json").status_code == 403
    assert not DialogueRound.objects.exists()
    draft = make_round(publication_status=DRAFT)
    url = f"/api/v1/dialogue-rounds/{draft.pk}/"
    assert client.patch(url, {"publication_status": "published"}, format="json").status_code == 403
    draft.refresh_from_db()
    assert draft.publication_status == DRAFT


@pytest.mark.django_db
def test_an_editor_may_propose_a_change_to_a_published_record_without_unpublishing_it(editor):
    """Sending the status unchanged is no attempt to publish; the change waits for review."""
    record = make_round()
    response = as_user(editor).patch(
        f"/api/v1/dialogue-rounds/{record.pk}/", {"place": "Astana", "publication_status": "published"}, format="json"
    )
    assert response.status_code == 202, response.content
    assert response.json()["changes"].get("place_en", response.json()["changes"].get("place")) == "Astana"
    assert "publication_status" not in response.json()["changes"]
    record.refresh_from_db()
    assert record.place != "Astana" and record.publication_status == PUBLISHED


@pytest.mark.django_db
def test_a_publisher_publishes_a_sourced_round(publisher):
    make_country("KZ")
    source = make_source()
    payload = new_round(sources=[source.pk], publication_status="published")
    response = as_user(publisher).post("/api/v1/dialogue-rounds/", payload, format="json")
    assert response.status_code == 201, response.content
    assert DialogueRound.objects.get().publication_status == PUBLISHED


@pytest.mark.django_db
def test_publishing_without_a_source_is_refused_and_writes_nothing(publisher):
    make_country("KZ")
    response = as_user(publisher).post(
        "/api/v1/dialogue-rounds/", new_round(publication_status="published"), format="json"
    )
    assert response.status_code == 400
    assert "sources" in response.json()
    assert not DialogueRound.objects.exists()


@pytest.mark.django_db
def test_publishing_or_editing_down_to_draft_sources_only_is_refused(publisher, editor):
    make_country("KZ")
    draft = make_source(publication_status="draft")
    payload = new_round(sources=[draft.pk], publication_status="published")
    response = as_user(publisher).post("/api/v1/dialogue-rounds/", payload, format="json")
    assert response.status_code == 400 and "sources" in response.json()
    record = make_round()
    response = as_user(editor).patch(f"/api/v1/dialogue-rounds/{record.pk}/", {"sources": [draft.pk]}, format="json")
    assert response.status_code == 400 and "sources" in response.json()
    assert record.sources.filter(publication_status=PUBLISHED).exists()


@pytest.mark.django_db
def test_a_publisher_unpublishes(publisher):
    record = make_round()
    response = as_user(publisher).patch(
        f"/api/v1/dialogue-rounds/{record.pk}/", {"publication_status": "draft"}, format="json"
    )
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.publication_status == DRAFT


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (new_round(country="XX"), "country"),
        (new_round(held=None), "held"),
        (new_round(held={"date": "2011-13"}), "held"),
        (new_round(held={"date": "2011-10", "precision": "day"}), "held"),
        (new_round(format="weekly"), "format"),
        (new_round(sequence_number=0), "sequence_number"),
        (new_round(topics=["no-such-topic"]), "topics"),
        (new_round(sources=[999999]), "sources"),
        (new_round(topics=["torture\x00"]), "topics"),
        (new_round(country="K\x00"), "country"),
    ],
)
def test_an_invalid_round_is_a_400_and_writes_nothing(editor, payload, field):
    make_country("KZ")
    response = as_user(editor).post("/api/v1/dialogue-rounds/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not DialogueRound.objects.exists()


@pytest.mark.django_db
def test_model_constraints_are_checked_like_the_admin(editor):
    kz = make_country("KZ")
    make_round(country=kz, sequence_number=1)
    response = as_user(editor).post("/api/v1/dialogue-rounds/", new_round(sequence_number=1), format="json")
    assert response.status_code == 400
    assert DialogueRound.objects.count() == 1


@pytest.mark.django_db
def test_a_country_code_is_stored_in_capitals(publisher):
    response = as_user(publisher).post(
        "/api/v1/countries/", {"code": "af", "name": "Afghanistan", "slug": "afghanistan"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Country.objects.get().iso_code == "AF"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["00", "XX", "Z1", "é1"])
def test_only_an_assigned_iso_3166_code_makes_a_country(publisher, code):
    response = as_user(publisher).post(
        "/api/v1/countries/", {"code": code, "name": "Nowhere", "slug": "nowhere"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "code" in response.json()
    assert not Country.objects.exists()


@pytest.mark.django_db
def test_a_slug_in_other_capitals_is_taken(publisher):
    make_topic(slug="rule-of-law", name="Rule of law")
    response = as_user(publisher).post(
        "/api/v1/topics/", {"name": "Rule of law (capitals)", "slug": "RULE-OF-LAW"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "slug" in response.json()
    assert Topic.objects.count() == 1


@pytest.mark.django_db
def test_deleting_needs_the_delete_permission(editor, publisher):
    record = make_round()
    assert as_user(editor).delete(f"/api/v1/dialogue-rounds/{record.pk}/").status_code == 403
    assert as_user(publisher).delete(f"/api/v1/dialogue-rounds/{record.pk}/").status_code == 204
    assert not DialogueRound.objects.exists()


@pytest.mark.django_db
def test_deleting_a_country_that_records_refer_to_is_a_409(publisher):
    record = make_round()
    response = as_user(publisher).delete(f"/api/v1/countries/{record.country.iso_code}/")
    assert response.status_code == 409
    assert "detail" in response.json()
    assert Country.objects.filter(pk=record.country.pk).exists()


@pytest.mark.django_db
def test_a_source_is_created_with_its_partial_date(publisher):
    payload = {"title": "Press release", "published": {"date": "2019"}, "document_url": "https://example.org/a"}
    response = as_user(publisher).post("/api/v1/sources/", payload, format="json")
    assert response.status_code == 201, response.content
    source = Source.objects.get()
    assert (source.published_on, source.published_on_precision, source.url) == (
        datetime.date(2019, 1, 1),
        "year",
        "https://example.org/a",
    )


# --- Tokens --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_obtains_a_token_and_writes_with_it(editor):
    make_country("KZ")
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "editor", "password": "a-long-test-password"}, format="json"
    )
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.post("/api/v1/dialogue-rounds/", new_round(), format="json").status_code == 201


@pytest.mark.django_db
def test_a_wrong_password_gets_no_token(editor):
    response = APIClient().post("/api/v1/auth/token/", {"username": "editor", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.django_db
def test_an_invalid_token_is_a_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/v1/countries/").status_code == 401


@pytest.mark.django_db
def test_the_api_token_command_is_idempotent_and_rotates(editor, capsys):
    call_command("api_token", "editor")
    first = capsys.readouterr().out.strip()
    call_command("api_token", "editor")
    assert capsys.readouterr().out.strip() == first
    call_command("api_token", "editor", "--rotate")
    assert capsys.readouterr().out.strip() != first
    assert Token.objects.filter(user=editor).count() == 1


@pytest.mark.django_db
def test_sources_of_the_same_title_keep_one_order_whatever_the_rows_physical_order(api):
    """Two sources of one title (a press release in two places) are listed by id: ordered by title
    alone, they came in the order of the rows on disk, which a restored backup changes."""
    earlier = make_source(title="EU Delegation press release")
    later = make_source(title="EU Delegation press release")
    round_ = make_round(sources=[])
    round_.sources.add(later)  # linked first: its link row comes first on disk
    round_.sources.add(earlier)
    for url in ("/api/v1/dialogue-rounds/", f"/api/v1/dialogue-rounds/{round_.pk}/"):
        body = api.get(url).json()
        record = body["results"][0] if "results" in body else body
        assert [source["id"] for source in record["sources"]] == [earlier.pk, later.pk], url
    # The order above can come by chance; the rule that makes it hold is a unique last key.
    from dialogues.querysets import published_sources

    assert published_sources().queryset.query.order_by[-1] in ("id", "pk")
