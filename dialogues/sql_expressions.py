"""Small SQL expressions the ORM lacks, shared by search, filters and exports."""

from django.db import models
from django.db.models import Expression, Func


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
