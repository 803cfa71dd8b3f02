"""Small SQL expressions the ORM lacks, shared by search, filters and exports."""

from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.models import Expression, Func, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast


class TableColumn(Expression):
    """A column that no model field declares, of a table of the query, given its alias; resolved
    without one, of the query's own table (a stored `search_document`, a model's RELATION_ARRAYS
    on PostgreSQL)."""

    def __init__(self, alias, column, output_field):
        super().__init__(output_field)
        self.alias, self.column = alias, column

    def resolve_expression(self, query=None, *args, **kwargs):
        return TableColumn(self.alias or query.get_initial_alias(), self.column, self.output_field)

    def relabeled_clone(self, change_map):
        return TableColumn(change_map.get(self.alias, self.alias), self.column, self.output_field)

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name(self.alias)}.{compiler.quote_name(self.column)}", []


class InArray(Func):
    """`value = ANY(array)`: an array as one parameter (an IN list takes one parameter each, and
    PostgreSQL plans thousands of them slowly)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    conditional = True
    output_field = models.BooleanField()


class Overlaps(Func):
    """`array && array`: the arrays have an element in common."""

    arg_joiner = " && "
    template = "%(expressions)s"
    conditional = True
    output_field = models.BooleanField()


def relation_array(queryset, relation):
    """The column holding each row's ids in a many-to-many `relation`, where `queryset` has one: on
    PostgreSQL, for a model that keeps them in an array (RELATION_ARRAYS); else None."""
    array = getattr(queryset.model, "RELATION_ARRAYS", {}).get(relation)
    if array and connections[queryset.db].vendor == "postgresql":
        return TableColumn(None, array, ArrayField(models.BigIntegerField()))
    return None


def related_ids(queryset, relation):
    """Each row's ids in a many-to-many `relation` of `queryset`'s model, to read with `ids_in`:
    the relation's array where there is one (no through table read), else comma-separated by a
    subquery over the through table."""
    if (array := relation_array(queryset, relation)) is not None:
        return array
    field = queryset.model._meta.get_field(relation)
    own, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = field.remote_field.through.objects.filter(**{own: OuterRef("pk")}).values(own)
    joined = StringAgg(Cast(f"{target}_id", models.TextField()), Value(","))
    return Subquery(links.annotate(ids=joined).values("ids"), output_field=models.TextField())


def ids_in(value):
    """The ids of a `related_ids` value: an array, comma-separated text, or None for none."""
    if not value:
        return ()
    return tuple(value) if isinstance(value, list) else tuple(int(part) for part in value.split(","))
