"""The editors' admin: every page renders within a bounded number of queries, roles are enforced."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from dialogues.models import Citation, DialogueRound
from funding.models import ExchangeRate, FundingFigure, IatiFile, Project
from tests.factories import (
    make_call,
    make_concern,
    make_country,
    make_entry,
    make_organisation,
    make_place,
    make_project,
    make_round,
    make_seminar,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db

ADMIN_MODELS = [m for m in admin.site._registry if m._meta.app_label in ("dialogues", "seminars", "funding")]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# a round's page holds two inlines (what it raised, the citations of its values): none here
INLINES_EMPTY = {
    f"{prefix}-{name}": value
    for prefix in ("concern_entries", "dialogues-citation-content_type-object_id")
    for name, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))
}


# shown on their parent's page: a seminar's recommendations, what an IATI file states about a
# project; an IATI upload on its own page, reached from the imported files' (funding/admin_iati.py)
SHOWN_INLINE = {"recommendation", "projectsector", "projectcountryshare", "iatitransaction", "iatibudget", "iatiupload"}
# written by an import only: shown, never added or changed by hand
READ_ONLY = {"iatifile"}
# computed from the records (funding/summaries.py): nothing to show or edit
DERIVED = {"contributioncell", "contributionyear", "projectcount", "summaryledger"}


def test_every_content_model_is_in_the_admin():
    expected = {
        m
        for app in ("dialogues", "seminars", "funding")
        for m in apps.get_app_config(app).get_models()
        if not m._meta.model_name.startswith("historical") and m._meta.model_name not in SHOWN_INLINE | DERIVED
    }
    assert expected <= set(ADMIN_MODELS)


def some_rows(count):
    country = make_country("KZ", slug="kazakhstan", name="Kazakhstan")
    topic = make_topic()
    for _ in range(count):
        make_project(countries=[country], topics=[topic])
        make_seminar(countries=[country], topics=[topic])
        dialogue_round = make_round(country=country, topics=[topic])
        make_organisation(country=country)
        make_call(country=country)
        make_place(country)
        concern = make_concern(country=country, topics=[topic])
        make_entry(concern, dialogue_round)
        Citation.objects.create(record=dialogue_round, field="held_on", source=dialogue_round.sources.first())
        FundingFigure.objects.create(statement="About an example amount a year", amount_eur=1000, period="per_year")
        ExchangeRate.objects.create(
            currency="USD",
            valid_from=datetime.date(2020, 1, 1) + datetime.timedelta(days=ExchangeRate.objects.count()),
            valid_until=datetime.date(2030, 1, 1),
            eur_per_unit=1,
            source="a test rate",
        )
        IatiFile.objects.create(
            name=f"invented-{IatiFile.objects.count()}.xml",
            sha256=f"{IatiFile.objects.count():064x}",
            activity_count=1,
            source=make_source(),
        )


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.model_name)
@pytest.mark.parametrize("rows", [1, 30])
def test_changelist_renders_for_an_editor_in_bounded_queries(editor_client, django_assert_max_num_queries, model, rows):
    some_rows(rows)
    # session, user, permissions (2), the page (<=1 row count without full count), the rows,
    # one prefetch per many-to-many column, list filters' choices (<=4), the action form.
    with django_assert_max_num_queries(16):
        response = editor_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.model_name)
def test_add_and_change_pages_render_for_an_editor(editor_client, django_assert_max_num_queries, model, seeded_sectors):
    some_rows(3)
    with django_assert_max_num_queries(20):
        expected = 403 if model._meta.model_name in READ_ONLY else 200
        assert editor_client.get(admin_url(model, "add")).status_code == expected
    record = model.objects.first()
    with django_assert_max_num_queries(30):
        assert editor_client.get(admin_url(model, "change", record.pk)).status_code == 200
    assert editor_client.get(admin_url(model, "history", record.pk)).status_code == 200


def test_staff_without_a_permission_is_refused(client, staff_without_permissions):
    client.force_login(staff_without_permissions)
    assert client.get(admin_url(DialogueRound, "changelist")).status_code == 403
    assert client.get(admin_url(DialogueRound, "add")).status_code == 403


def test_the_public_is_sent_to_the_login_page(client):
    response = client.get(admin_url(DialogueRound, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_editor_enters_a_dialogue_round_with_topics_and_sources(editor_client):
    country, topic, source = make_country("KZ"), make_topic(), make_source()
    response = editor_client.post(
        admin_url(DialogueRound, "add"),
        {
            "country": country.pk,
            "held_on": "2009-11",
            "place_en": "Brussels",
            "format": "structured",
            "sequence_number": "2",
            "topics": [topic.pk],
            "summary_en": "Second round.",
            "sources": [source.pk],
            **INLINES_EMPTY,
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = DialogueRound.objects.get(place="Brussels")
    assert str(record.held) == "November 2009"  # stored as the month the editor said, no day
    assert list(record.topics.all()) == [topic] and list(record.sources.all()) == [source]
    assert record.publication_status == "draft"  # an editor cannot publish
    assert record.history.first().history_user.username == "editor"


def test_an_editor_cannot_publish(editor_client):
    country, source = make_country("KZ"), make_source()
    editor_client.post(
        admin_url(DialogueRound, "add"),
        {
            "country": country.pk,
            "held_on": "2009-11",
            "format": "structured",
            "sources": [source.pk],
            "publication_status": "published",
            **INLINES_EMPTY,
            "_save": "Save",
        },
    )
    assert DialogueRound.objects.get().publication_status == "draft"
    response = editor_client.get(admin_url(DialogueRound, "changelist"))
    assert b"publish_selected" not in response.content


def test_a_publisher_publishes_in_bulk_only_sourced_records(publisher_client):
    sourced = make_topic(publication_status="draft")
    unsourced = make_topic(publication_status="draft", sources=[])
    url = admin_url(sourced.__class__, "changelist")
    publisher_client.post(url, {"action": "publish_selected", "_selected_action": [sourced.pk, unsourced.pk]})
    sourced.refresh_from_db()
    assert sourced.publication_status == "draft"  # all or nothing: one lacked a source
    publisher_client.post(url, {"action": "publish_selected", "_selected_action": [sourced.pk]})
    sourced.refresh_from_db()
    assert sourced.publication_status == "published"


def test_bulk_publishing_refuses_a_record_citing_only_draft_sources(publisher_client):
    cites_a_draft = make_topic(publication_status="draft", sources=[make_source(publication_status="draft")])
    url = admin_url(cites_a_draft.__class__, "changelist")
    response = publisher_client.post(
        url, {"action": "publish_selected", "_selected_action": [cites_a_draft.pk]}, follow=True
    )
    cites_a_draft.refresh_from_db()
    assert cites_a_draft.publication_status == "draft"
    assert "published source" in response.content.decode()


def test_an_edit_may_not_leave_a_published_record_citing_only_drafts(editor_client):
    dialogue_round = make_round(sources=[make_source()])
    draft = make_source(publication_status="draft")
    response = editor_client.post(
        admin_url(DialogueRound, "change", dialogue_round.pk),
        {
            "country": dialogue_round.country.pk,
            "held_on": "2009-11",
            "format": "structured",
            "sources": [draft.pk],
            **INLINES_EMPTY,
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "sources" in response.context["adminform"].form.errors
    assert list(dialogue_round.sources.all()) != [draft]


def test_a_published_record_needs_a_source_in_the_form(publisher_client):
    country = make_country("KZ")
    response = publisher_client.post(
        admin_url(DialogueRound, "add"),
        {
            "country": country.pk,
            "held_on": "2009-11",
            "format": "structured",
            "publication_status": "published",
            **INLINES_EMPTY,
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "sources" in response.context["adminform"].form.errors
    assert not DialogueRound.objects.exists()


def test_bad_input_in_the_admin_is_an_error_not_a_500(editor_client):
    country = make_country("KZ")
    response = editor_client.post(
        admin_url(DialogueRound, "add"),
        {
            "country": country.pk,
            "held_on": "not a date",
            "format": "nonsense",
            "sequence_number": "-3",
            **INLINES_EMPTY,
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) >= {"held_on", "format", "sequence_number"}


def test_the_admin_carries_the_portal_name_and_favicon(editor_client):
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "Django administration" not in page and "Django site admin" not in page
    assert "Human Rights Dialogues Portal" in page
    assert 'rel="icon"' in page and "img/favicon.svg" in page


def test_the_admin_name_is_translated(editor_client):
    editor_client.cookies["django_language"] = "ru"
    page = editor_client.get(reverse("admin:index"), headers={"accept-language": "ru"}).content.decode()
    assert "Портал диалогов по правам человека" in page


ROUND_TRANSLATED = ("summary", "place")  # typed in English as <field>_en (modeltranslation)


def round_post(country, **fields):
    english = {f"{name}_en": fields[name] for name in ROUND_TRANSLATED if name in fields}
    return {
        "country": country.pk,
        "format": "structured",
        **INLINES_EMPTY,
        "_save": "Save",
        **fields,
        **english,
    }


def assert_plain_error(response, field, words):
    """The form is refused with `words` next to `field`, and no constraint's name anywhere."""
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(words in message for message in errors.get(field, [])), errors
    page = response.content.decode()
    assert "violated" not in page and "Constraint" not in page


def test_an_empty_round_says_what_to_give_next_to_the_date(editor_client):
    response = editor_client.post(admin_url(DialogueRound, "add"), round_post(make_country("KZ")))
    assert_plain_error(response, "held_on", "Give the date, or the number")
    assert not DialogueRound.objects.exists()


def test_a_duplicate_round_number_is_explained_next_to_the_number(editor_client):
    country = make_country("KZ")
    make_round(country=country, sequence_number=2, number_basis="stated")
    response = editor_client.post(
        admin_url(DialogueRound, "add"),
        round_post(country, held_on="2011-05", sequence_number="2"),
    )
    assert_plain_error(response, "sequence_number", "already has a round of this format with this number")


def test_a_round_ending_before_it_starts_is_explained_next_to_its_last_day(editor_client):
    response = editor_client.post(
        admin_url(DialogueRound, "add"),
        round_post(make_country("KZ"), held_on="2011-05-10", held_until="2011-05-09"),
    )
    assert_plain_error(response, "held_until", "The last day must come after the first")


def test_a_project_ending_before_it_starts_is_explained_next_to_its_end(editor_client):
    country, programme = make_country("KZ"), make_project().programme
    response = editor_client.post(
        admin_url(Project, "add"),
        {
            "title": "A project",
            "programme": programme.pk,
            "countries": [country.pk],
            "starts_on": "2011-05-10",
            "ends_on": "2010-05-10",
            **{
                f"dialogues-citation-content_type-object_id-{name}": value
                for name, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
            },
            "_save": "Save",
        },
    )
    assert_plain_error(response, "ends_on", "The end cannot come before the start")


def test_every_admin_form_and_inline_speaks_plain_language():
    from dialogues.admin_forms import PortalModelForm

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("dialogues", "seminars", "funding"):
            continue
        assert issubclass(model_admin.form, PortalModelForm), model
        for inline in model_admin.inlines:
            assert issubclass(inline.form, PortalModelForm), inline


@pytest.mark.parametrize(
    "typed, stored, precision",
    [
        ("2008", datetime.date(2008, 1, 1), "year"),
        ("2008-06", datetime.date(2008, 6, 1), "month"),
        (" 2008-06-13 ", datetime.date(2008, 6, 13), "day"),
    ],
)
def test_a_partial_date_is_typed_in_one_field_as_the_source_gives_it(editor_client, typed, stored, precision):
    response = editor_client.post(admin_url(DialogueRound, "add"), round_post(make_country("KZ"), held_on=typed))
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = DialogueRound.objects.get()
    assert (record.held_on, record.held_on_precision) == (stored, precision)


@pytest.mark.parametrize("typed", ["2008-13", "June 2008", "08-06-13", "2009-02-30"])
def test_a_bad_partial_date_is_refused_with_what_to_type(editor_client, typed):
    response = editor_client.post(admin_url(DialogueRound, "add"), round_post(make_country("KZ"), held_on=typed))
    assert_plain_error(response, "held_on", "is not a date: give a year (2010), a month (2010-01)")


def test_the_change_page_shows_the_date_as_stored_and_keeps_its_precision(editor_client):
    # a draft: an Editor's change to a published record waits for review (test_revisions.py)
    record = make_round(
        held_on=datetime.date(2009, 10, 1), held_on_precision="month", summary="Before.", publication_status="draft"
    )
    page = editor_client.get(admin_url(DialogueRound, "change", record.pk)).content.decode()
    assert 'name="held_on" value="2009-10"' in page and 'name="held_on_precision"' not in page
    data = round_post(record.country, held_on="2009-10", summary="After.", sources=[record.sources.get().pk])
    response = editor_client.post(admin_url(DialogueRound, "change", record.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert (record.held_on, record.held_on_precision, record.summary) == (datetime.date(2009, 10, 1), "month", "After.")


def test_every_admin_form_types_partial_dates_in_one_field(rf, admin_user):
    from dialogues.admin_forms import PartialDateFormField, partial_date_fields

    request = rf.get("/")
    request.user = admin_user
    seen = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("dialogues", "seminars", "funding"):
            continue
        forms = [model_admin.get_form(request)]
        forms += [inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)]
        for form in forms:
            for date_name, precision_name in partial_date_fields(form._meta.model).items():
                assert precision_name not in form.base_fields, form
                if date_name in form.base_fields:
                    assert isinstance(form.base_fields[date_name], PartialDateFormField), (form, date_name)
                    seen.add(f"{form._meta.model._meta.model_name}.{date_name}")
    assert {"dialogueround.held_on", "seminar.held_on", "project.starts_on", "source.published_on"} <= seen
    assert {"concernentry.stated_on", "call.announced_on", "programme.launched_on"} <= seen
