"""One save, one history entry: what an admin save or an imported row writes is one change.

django-simple-history writes an entry on save() and another on every many-to-many change (each
`.set()` of topics or sources), so one save of a round left three or four entries in the same
minute. The admin and the importer take a mark before they write and merge the record's entries
since then into the last one (it holds the final many-to-many state), with a change reason.
"""

from django.db.models import Max

REASON_LENGTH = 100  # simple-history's history_change_reason column


def has_history(model):
    return hasattr(model._meta, "simple_history_manager_attribute")


def _history(model):
    return getattr(model, model._meta.simple_history_manager_attribute)


def history_mark(model):
    """The newest history entry of `model` now: merge what comes after it."""
    return _history(model).aggregate(last=Max("history_id"))["last"] or 0


def merge_history(model, since, record_ids, *, reason):
    """Each record's entries after `since` become one: the last, typed as the change as a whole
    (created if the first was a creation), with `reason`."""
    history = _history(model)
    entries = history.filter(history_id__gt=since, id__in=list(record_ids)).order_by("history_id")
    by_record = {}
    for history_id, record_id, history_type in entries.values_list("history_id", "id", "history_type"):
        by_record.setdefault(record_id, []).append((history_id, history_type))
    for record_entries in by_record.values():
        (_first_id, first_type), (last_id, last_type) = record_entries[0], record_entries[-1]
        history.filter(history_id__in=[history_id for history_id, _type in record_entries[:-1]]).delete()
        kept_type = "+" if first_type == "+" and last_type != "-" else last_type
        history.filter(history_id=last_id).update(history_type=kept_type, history_change_reason=reason[:REASON_LENGTH])
