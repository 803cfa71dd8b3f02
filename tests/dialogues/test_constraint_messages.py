"""Every database constraint has a message for people, attached to a field of its model."""

import pytest
from django.apps import apps
from django.db.models import CheckConstraint, UniqueConstraint

from dialogues.constraint_messages import MESSAGES

# The portal's own models: a library's (django-tasks-db's task rows) are never in a form.
OWN_APPS = {"dialogues", "seminars", "funding", "revisions", "dialogues_portal"}
CONSTRAINTS = [
    (model, constraint)
    for model in apps.get_models()
    if model._meta.app_label in OWN_APPS
    for constraint in model._meta.constraints
    if isinstance(constraint, (CheckConstraint, UniqueConstraint))
]


@pytest.mark.parametrize("model, constraint", CONSTRAINTS, ids=lambda value: getattr(value, "name", str(value)))
def test_every_constraint_has_a_plain_message_on_a_field_of_its_model(model, constraint):
    assert constraint.name in MESSAGES, f"add {constraint.name!r} to dialogues/constraint_messages.py"
    field, message = MESSAGES[constraint.name]
    model._meta.get_field(field)  # raises for a field the model does not have
    assert str(message) and "constraint" not in str(message).lower()


def test_the_registry_names_no_constraint_that_is_gone():
    assert set(MESSAGES) == {constraint.name for _model, constraint in CONSTRAINTS}
