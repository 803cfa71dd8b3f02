"""Actions with rules, called alike by the admin, the API and commands."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .publishing import PublicationStatus


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
    return _set_status(records, PublicationStatus.DRAFT)


def _set_status(records, status):
    # save() one by one, not update(): the history records each change and who made it.
    changed = 0
    for record in records.exclude(publication_status=status):
        record.publication_status = status
        record.save(update_fields=["publication_status", "updated_at"])
        changed += 1
    return changed
