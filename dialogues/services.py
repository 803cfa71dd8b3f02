"""Actions with rules, called alike by the admin, the API and commands."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .publishing import PublicationStatus, PublishableModel


def can_publish(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


# The rule, for every path that publishes or edits a published record (admin form, bulk action,
# API): a public record cites at least one published source, one a reader can open.
UNSOURCED_MESSAGE = _lazy("A published record must cite at least one published source.")


def cites_a_published_source(sources):
    """Whether `sources` (instances, or a queryset of them) hold a published one."""
    return any(source.publication_status == PublicationStatus.PUBLISHED for source in sources)


def unsourced(records):
    """The records among `records` that cite no published source."""
    model = records.model
    if not any(f.name == "sources" for f in model._meta.many_to_many):
        return records.none()
    return records.exclude(sources__publication_status=PublicationStatus.PUBLISHED)


STRANDED_SHOWN = 5  # the records a refusal names; it counts the rest


def stranded_records(sources):
    """The published records that cite a published source among `sources` and no other one:
    unpublishing or deleting `sources` would leave them citing no published source. (model,
    queryset) pairs, one for each model whose records cite sources."""
    from .models import Source

    stranded = []
    for relation in Source._meta.related_objects:
        if not relation.many_to_many or not issubclass(relation.related_model, PublishableModel):
            continue
        field = relation.field  # e.g. Project.sources
        through = field.remote_field.through.objects
        record, source = field.m2m_field_name(), field.m2m_reverse_field_name()
        published = {f"{source}__publication_status": PublicationStatus.PUBLISHED}
        citing = through.filter(**published, **{f"{source}__in": sources}).values(record)
        sourced_otherwise = through.filter(**published).exclude(**{f"{source}__in": sources}).values(record)
        records = relation.related_model.objects.published().filter(pk__in=citing).exclude(pk__in=sourced_otherwise)
        stranded.append((relation.related_model, records.order_by("pk")))
    return stranded


def stranded_names(sources):
    """The first few records `stranded_records(sources)` finds, named ("project “...”"), and how
    many there are in all."""
    named, total = [], 0
    for model, records in stranded_records(sources):
        count = records.count()
        total += count
        if count and len(named) < STRANDED_SHOWN:
            named += [f"{model._meta.verbose_name} “{record}”" for record in records[: STRANDED_SHOWN - len(named)]]
    return named, total


def refuse_stranding(*, sources):
    """Refuse to unpublish or delete `sources` (a queryset or a list) while a published record
    would be left citing no published source (the rule above), naming the first few of them."""
    named, total = stranded_names(sources)
    if not named:
        return
    message = _(
        "These published records cite no other published source and would be left without one: "
        "%(records)s. Cite another published source in them, or unpublish them, first."
    ) % {"records": "; ".join(named)}
    if total > len(named):
        message += " " + _("(%(count)d more records too.)") % {"count": total - len(named)}
    raise ValidationError(message, code="unsourced")


@transaction.atomic
def records_publish(*, user, records):
    """Publish every record of the queryset, or none: each must cite at least one source."""
    if not can_publish(user, records.model):
        raise PermissionDenied(_("You may not publish these records."))
    missing = list(unsourced(records)[:10])
    if missing:
        raise ValidationError(
            _("Cite at least one published source before publishing: %(records)s")
            % {"records": "; ".join(str(record) for record in missing)}
        )
    return _set_status(records, PublicationStatus.PUBLISHED)


@transaction.atomic
def records_unpublish(*, user, records):
    if not can_publish(user, records.model):
        raise PermissionDenied(_("You may not unpublish these records."))
    if records.model._meta.label == "dialogues.Source":
        refuse_stranding(sources=records.filter(publication_status=PublicationStatus.PUBLISHED))
    return _set_status(records, PublicationStatus.DRAFT)


def _set_status(records, status):
    # save() one by one, not update(): the history records each change and who made it.
    changed = 0
    for record in records.exclude(publication_status=status):
        record.publication_status = status
        record.save(update_fields=["publication_status", "updated_at"])
        changed += 1
    return changed
