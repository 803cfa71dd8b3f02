"""Control and text-direction characters are refused on every write path (dialogues/plain_text.py):
the API, the admin's forms and the spreadsheet import. Tabs and line breaks stay allowed."""

import pytest
from django import forms as django_forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from rest_framework import serializers

from dialogues.api.serializers import PublishableSerializer
from dialogues.plain_text import validate_plain_text, without_forbidden
from dialogues_portal.api_urls import router
from funding.models import Project
from tests.api_helpers import as_user
from tests.factories import make_country, make_programme

pytestmark = pytest.mark.django_db

FORBIDDEN = ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\u202a", "\u202e", "\u2066", "\u2069"]


@pytest.mark.parametrize("character", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_a_control_or_direction_character_is_refused_and_named(character):
    with pytest.raises(ValidationError, match=f"U\\+{ord(character):04X}"):
        validate_plain_text(f"Legal aid{character} for detainees")
    assert without_forbidden(f"a{character}b") == "ab"


def test_line_breaks_tabs_and_any_script_are_allowed():
    text = "Первый абзац.\r\n\n\tSecond paragraph — «Қазақстан», عربي, 中文."
    validate_plain_text(text)
    assert without_forbidden(text) == text


def _writable_text_fields(serializer):
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.ListField):
            field = field.child
        if isinstance(field, serializers.CharField) and not field.read_only:
            yield name, field


def _write_serializers():
    """The serializer of every API resource that accepts writes."""
    for _prefix, viewset, _basename in router.registry:
        if hasattr(viewset, "create") or hasattr(viewset, "update"):
            yield viewset.serializer_class


@pytest.mark.parametrize("serializer_class", list(_write_serializers()), ids=lambda cls: cls.__name__)
def test_every_text_field_of_every_writable_serializer_refuses_control_characters(serializer_class):
    assert issubclass(serializer_class, PublishableSerializer)  # the base that applies the rule
    fields = list(_writable_text_fields(serializer_class(context={})))
    assert fields, serializer_class
    for name, field in fields:
        with pytest.raises(serializers.ValidationError) as caught:
            field.run_validation("ab\x0bcd")
        assert "forbidden_character" in caught.value.get_codes(), name


@pytest.mark.parametrize("text", ["Legal\x0baid", "Legal\x01aid", "Legal \u202eaid"])
def test_the_api_refuses_a_control_character_with_a_field_error(editor, text):
    make_programme(slug="eidhr")
    make_country("KZ")
    payload = {"title": "Legal aid", "summary": text, "programme": "eidhr", "countries": ["KZ"]}

    response = as_user(editor).post("/api/v1/projects/", payload, format="json")

    assert response.status_code == 400, response.content
    assert "U+" in response.json()["summary"][0]
    assert not Project.objects.exists()


def test_the_api_keeps_line_breaks_and_tabs_in_a_summary(editor):
    make_programme(slug="eidhr")
    make_country("KZ")
    payload = {"title": "Legal aid", "summary": "One.\n\n\tTwo.", "programme": "eidhr", "countries": ["KZ"]}

    response = as_user(editor).post("/api/v1/projects/", payload, format="json")

    assert response.status_code == 201, response.content
    assert Project.objects.get().summary == "One.\n\n\tTwo."


def test_the_admin_refuses_a_control_character_next_to_the_field(editor_client):
    country, programme = make_country("KZ"), make_programme()
    citations = "dialogues-citation-content_type-object_id"
    data = {
        "title_en": "A project\x0b on legal aid",  # the English field (modeltranslation)
        "programme": programme.pk,
        "countries": [country.pk],
        f"{citations}-TOTAL_FORMS": "0",
        f"{citations}-INITIAL_FORMS": "0",
        "_save": "Save",
    }

    response = editor_client.post("/admin/funding/project/add/", data)

    assert response.status_code == 200  # the form again, with its error
    assert "U+000B" in " ".join(response.context["adminform"].form.errors["title_en"])
    assert not Project.objects.exists()


def test_every_admin_form_and_inline_refuses_control_characters_in_its_texts(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("dialogues", "seminars", "funding"):
            continue
        forms = [model_admin.get_form(request)]
        forms += [inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)]
        for form_class in forms:
            for name, field in form_class().fields.items():
                if isinstance(field, django_forms.CharField):
                    with pytest.raises(ValidationError) as caught:
                        field.run_validators("ab\x0bcd")
                    assert "forbidden_character" in [e.code for e in caught.value.error_list], (form_class, name)
                    checked += 1
    assert checked > 20
