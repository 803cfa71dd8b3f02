"""Links IATI children to their parents once every file of an import is read, whichever file or
order they came in; a parent with children recorded is not counted again in totals
(funding/aggregates.py)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models.functions import Lower
from django.utils import timezone

from dialogues.import_bulk import update_in_bulk

from ..models import Project


def link_children(relations):
    """Points each child named in `relations` ([(pk, parent identifier, children identifiers,
    file name)]: what the activities imported state) to its parent; gives [(child pk, the name of
    the file that says so)] of the children whose parent changed. An activity naming its own
    parent is believed over a parent naming its children. The projects of the identifiers named
    are asked for a few thousand at a time."""
    named = {name.lower() for _pk, parent, children, _file in relations for name in (parent, *children) if name}
    pks = {}
    for chunk in _chunks(sorted(named)):
        projects = Project.objects.alias(identifier_key=Lower("iati_identifier")).filter(identifier_key__in=chunk)
        pks.update((identifier.lower(), pk) for identifier, pk in projects.values_list("iati_identifier", "pk"))
    wanted = {}  # child pk -> (parent pk or None, the file that says so)
    for pk, parent, children, name in relations:
        if parent:
            wanted[pk] = (pks.get(parent.lower()), name)
        for child in children:
            child_pk = pks.get(child.lower())
            if child_pk:
                wanted.setdefault(child_pk, (pk, name))
    linked, now = [], timezone.now()
    for chunk in _chunks(list(wanted)):
        links = []
        for child_pk, parent_pk in Project.objects.filter(pk__in=chunk).values_list("pk", "iati_parent_id"):
            wanted_parent, name = wanted[child_pk]
            if wanted_parent and wanted_parent != child_pk and parent_pk != wanted_parent:
                links.append(_Link(child_pk, wanted_parent, now))
                linked.append((child_pk, name))
        update_in_bulk(Project, links, ["iati_parent", "updated_at"])
    return linked


@dataclass(slots=True)
class _Link:
    """What update_in_bulk() reads of a child linked (a Project instance weighs a few kilobytes)."""

    id: int
    iati_parent_id: int
    updated_at: datetime


def _chunks(ids, size=5000):
    """Ids a few thousand at a time: a database takes a bounded number of query parameters."""
    ids = list(dict.fromkeys(ids))
    return (ids[start : start + size] for start in range(0, len(ids), size))
