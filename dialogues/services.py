"""Actions with rules, called alike by the admin, the API and commands."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .publishing import PublicationStatus


def can_publish(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def unsourced(records):
    """The records among `records` that cite no source (a public record must cite one)."""
    model = records.model
    if not any(f.name == "sources" for f in model._meta.many_to_many):
        return records.none()
    return records.filter(sources__isnull=True)


@transaction.atomic
def records_publish(*, user, records):
    """Publish every record of the queryset, or none: each must cite at least one source."""
    if not can_publish(user, records.model):
        raise PermissionDenied(_("You may not publish these records."))
    missing = list(unsourced(records)[:10])
    if missing:
        raise ValidationError(
            _("Cite at least one source before publishing: %(records)s")
            % {"records": "; ".join(str(record) for record in missing)}
        )
    return _set_status(records, PublicationStatus.PUBLISHED)


@transaction.atomic
def records_unpublish(*, user, records):
    if not can_publish(user, records.model):
        raise PermissionDenied(_("You may not unpublish these records."))
    return _set_status(records, PublicationStatus.DRAFT)


def _set_status(records, status):
    # save() one by one, not update(): the history records each change and who made it.
    changed = 0
    for record in records.exclude(publication_status=status):
        record.publication_status = status
        record.save(update_fields=["publication_status", "updated_at"])
        changed += 1
    return changed
