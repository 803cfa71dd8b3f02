"""Lost updates through the API: a record's detail carries an ETag, and a write that sends
If-Match with another ETag (the record changed since the client read it) is refused with 412.

The ETag names the record's stored version (its model, id and `updated_at`, which every save
moves), so it is the same for every reader: it says which version a write starts from, not which
bytes a reader got. Writes without If-Match are accepted, as before (RFC 9110 makes it optional).
"""

import hashlib

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The record changed since you read it: read it again (its ETag is in the response headers) and "
        "apply your change to that version."
    )
    default_code = "precondition_failed"


def etag(model, pk, updated_at):
    digest = hashlib.sha256(f"{model._meta.label_lower}:{pk}:{updated_at.isoformat()}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def record_etag(record):
    return etag(type(record), record.pk, record.updated_at)


def check_if_match(request, model, pk):
    """Refuse the write unless If-Match is absent, "*", or names the stored version (read under a
    row lock: the caller's transaction holds it until the write is done)."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    updated_at = model._base_manager.select_for_update().filter(pk=pk).values_list("updated_at", flat=True).first()
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags and updated_at is not None:
        return
    # strong comparison (RFC 9110 13.1.1): a weak tag never matches
    if updated_at is None or etag(model, pk, updated_at) not in tags:
        raise PreconditionFailed()
