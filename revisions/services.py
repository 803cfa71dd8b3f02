"""Proposing, accepting and rejecting changes to published records: one set of rules for the
admin, the API and the history restore.

A value is compared and stored in its JSON form (DjangoJSONEncoder: dates and decimals as
strings), so that what was proposed, what the record held then and what it holds now compare alike.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dialogues.constraint_messages import constraint_errors
from dialogues.history import has_history, history_mark, merge_history
from dialogues.publishing import PublicationStatus, PublishableModel
from dialogues.services import UNSOURCED_MESSAGE, can_publish, cites_a_published_source

from .models import PendingRevision, RevisionStatus

NOT_REVIEWED = {"publication_status"}  # changed only by publishing, which only a Publisher does


def translated_fields(model):
    """The fields django-modeltranslation keeps per language (`name` as `name_en`, `name_ru`): the
    languages' fields are reviewed, not the original, which reads the current language's."""
    try:
        from modeltranslation.translator import NotRegistered, translator
    except ImportError:
        return set()
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def reviewed_fields(model):
    """{key: field} of what a proposal may change: editable concrete fields by attname, then
    many-to-many fields by name."""
    skipped = NOT_REVIEWED | translated_fields(model)
    fields = {
        field.attname: field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in skipped
    }
    fields.update({field.name: field for field in model._meta.many_to_many})
    return fields


def _json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _stored(record, key, field):
    if field.many_to_many:
        return sorted(getattr(record, key).values_list("pk", flat=True))
    return _json(getattr(record, key))


def needs_review(user, record):
    """Whether `user`'s change to `record` waits for a Publisher: the record is published (in the
    database, whatever the instance in hand says) and the user may not publish it."""
    model = type(record)
    if not issubclass(model, PublishableModel) or record.pk is None or can_publish(user, model):
        return False
    return model._base_manager.filter(pk=record.pk, publication_status=PublicationStatus.PUBLISHED).exists()


def pending_revision(record):
    return PendingRevision.objects.of(record).pending().select_related("author").first()


@transaction.atomic
def propose(*, record, candidate, m2m, author, origin):
    """Keep `candidate`'s differences from the stored `record` as a pending revision and return it
    (None when nothing differs). `m2m` is {field name: related records} for the many-to-many fields
    the change sets. The author's own pending proposal is replaced; another's is refused."""
    model = type(record)
    stored = model._base_manager.select_for_update().get(pk=record.pk)
    changes, base = {}, {}
    for key, field in reviewed_fields(model).items():
        if field.many_to_many:
            if key not in m2m:
                continue
            proposed = sorted(related.pk for related in m2m[key])
        else:
            proposed = _json(getattr(candidate, key))
        current = _stored(stored, key, field)
        if proposed in (None, "") and current in (None, "") and not field.is_relation:
            continue  # a blank text sent back as "" where it is stored as null: no change
        if proposed != current:
            changes[key], base[key] = proposed, current
    waiting = PendingRevision.objects.of(record).pending().select_for_update().first()
    if waiting is not None and waiting.author_id != author.pk:
        raise ValidationError(
            _(
                "%(author)s proposed a change to this record on %(date)s that waits for review: a "
                "publisher must accept or reject it before another change is proposed."
            )
            % {"author": waiting.author or _("someone"), "date": date_format(waiting.created_at, "j F Y")}
        )
    if not changes:
        return waiting
    if waiting is None:
        waiting = PendingRevision(content_type=ContentType.objects.get_for_model(model), object_id=record.pk)
    waiting.author, waiting.origin, waiting.changes, waiting.base = author, origin, changes, base
    try:
        with transaction.atomic():
            waiting.save()
    except IntegrityError:  # another proposal came first, between our read and our write
        raise ValidationError(_("This record already has a change waiting for review.")) from None
    return waiting


def conflicts(revision, record):
    """The fields of the proposal that changed in the record since it was made."""
    fields = reviewed_fields(type(record))
    return [key for key, was in revision.base.items() if key in fields and _stored(record, key, fields[key]) != was]


def field_label(model, key):
    return str(reviewed_fields(model)[key].verbose_name) if key in reviewed_fields(model) else key


def _decide(revision, user, status, note):
    revision.status, revision.reviewed_by, revision.reviewed_at = status, user, timezone.now()
    revision.review_note = note
    revision.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return revision


def _locked(revision):
    # locked alone: FOR UPDATE cannot reach the nullable side of a join (the author) on PostgreSQL
    revision = PendingRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != RevisionStatus.PENDING:
        raise ValidationError(_("This change was already %(status)s.") % {"status": revision.get_status_display()})
    return revision


def _check_reviewer(user, revision):
    model = revision.content_type.model_class()
    if not can_publish(user, model):
        raise PermissionDenied(
            _("Only a publisher of %(records)s may review this change.") % {"records": model._meta.verbose_name_plural}
        )
    return model


@transaction.atomic
def accept(revision, *, user, note=""):
    """Apply the proposal to the record (one history entry saying whose change it was), or refuse
    with the reason and write nothing: the record changed since in the same fields, or the result
    breaks a rule of the record."""
    revision = _locked(revision)
    model = _check_reviewer(user, revision)
    record = model._base_manager.select_for_update().filter(pk=revision.object_id).first()
    if record is None:
        raise ValidationError(_("The record was deleted since this change was proposed."))
    changed = conflicts(revision, record)
    if changed:
        raise ValidationError(
            _("The record changed since this proposal in: %(fields)s. Reject it and propose the change again.")
            % {"fields": ", ".join(field_label(model, key) for key in changed)}
        )
    fields = reviewed_fields(model)
    relations = {}
    for key, value in revision.changes.items():
        field = fields[key]
        if field.many_to_many:
            relations[key] = field.related_model._base_manager.filter(pk__in=value)
        else:
            setattr(record, key, field.to_python(value))
    try:
        record.full_clean(validate_constraints=False)
        errors = {}
    except ValidationError as error:
        errors = error.message_dict
    for name, violations in constraint_errors(record, exclude=set(errors)).items():
        errors.setdefault(name, []).extend(message for violation in violations for message in violation.messages)
    if errors:
        raise ValidationError(
            [
                f"{field_label(model, name) if name != '__all__' else ''}: {message}".lstrip(": ")
                for name, messages in errors.items()
                for message in messages
            ]
        )
    mark = history_mark(model) if has_history(model) else None
    record.save()
    for key, related in relations.items():
        getattr(record, key).set(related)
    if record.is_published and "sources" in relations and not cites_a_published_source(record.sources.all()):
        raise ValidationError(str(UNSOURCED_MESSAGE))
    if mark is not None:
        reason = _("Accepted change #%(id)s proposed by %(author)s") % {
            "id": revision.pk,
            "author": revision.author or "?",
        }
        merge_history(model, mark, [record.pk], reason=reason)
    return _decide(revision, user, RevisionStatus.ACCEPTED, note)


@transaction.atomic
def reject(revision, *, user, note=""):
    revision = _locked(revision)
    _check_reviewer(user, revision)
    return _decide(revision, user, RevisionStatus.REJECTED, note)


@transaction.atomic
def withdraw(revision, *, user):
    """The author takes their proposal back (a publisher may also reject it)."""
    revision = _locked(revision)
    if revision.author_id != user.pk:
        raise PermissionDenied(_("Only the author of a change may withdraw it."))
    return _decide(revision, user, RevisionStatus.WITHDRAWN, "")


def _shown(field, value):
    """A stored value as an editor reads it: a choice's label, a related record's name."""
    if value in (None, "", []):
        return "—"
    if field.many_to_many:
        return ", ".join(str(related) for related in field.related_model._base_manager.filter(pk__in=value)) or "—"
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def described_changes(revision):
    """[(field label, value when proposed, proposed value, changed since)] for the review page."""
    model = revision.content_type.model_class()
    record = model._base_manager.filter(pk=revision.object_id).first()
    fields = reviewed_fields(model)
    changed = set(conflicts(revision, record)) if record is not None else set()
    return [
        (
            str(fields[key].verbose_name),
            _shown(fields[key], revision.base.get(key)),
            _shown(fields[key], value),
            key in changed,
        )
        for key, value in revision.changes.items()
        if key in fields
    ]
