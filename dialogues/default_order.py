"""Whether a query follows its model's default order, the one keyset (cursor) pages walk.

django-modeltranslation's QuerySet sets the model's `Meta.ordering` as an explicit `order_by`
when it is created (to rewrite translated fields in it), so "no order_by" no longer means "the
default order": an order_by equal to Meta.ordering does too.
"""


def follows_default_order(query):
    if not query.default_ordering:
        return False
    ordering = query.model._meta.ordering or []
    return not query.order_by or list(query.order_by) == list(ordering)
