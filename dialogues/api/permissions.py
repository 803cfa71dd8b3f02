"""Who may do what through the API: Django's model permissions for writes, reads for everyone."""

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class ModelPermissionsOrAnonReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's rule, reading the model from the view's `model` where it names one: DRF builds the
    view's queryset for it (`get_queryset()`: the visibility rule, the listing's joins and
    prefetches), only to ask that queryset its model, before the view builds it again."""

    def _queryset(self, view):
        model = getattr(view, "model", None)
        return super()._queryset(view) if model is None else model._default_manager.none()
