"""The publication state every public record carries, and the one query that hides drafts.

Every public surface (pages, API, exports, feeds, sitemap, counts) starts from
`Model.objects.published()`: a new surface that does not is a bug.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .languages import TranslatedTextsModel


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication_status=PublicationStatus.PUBLISHED)

    def visible_to(self, user):
        """Drafts for those who may change this model, published records for everyone else."""
        opts = self.model._meta
        if user is not None and user.is_active and user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            return self.all()
        return self.published()


class PublishableModel(TranslatedTextsModel):
    publication_status = models.CharField(
        _("publication status"),
        max_length=9,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text=_("Only published records are shown to the public."),
    )
    is_synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        db_index=True,
        editable=False,
        help_text=_("Generated for demonstrations and benchmarks; never a real record."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        # "publish_<model>" is what separates a Publisher from an Editor.
        default_permissions = ("add", "change", "delete", "view", "publish")

    @property
    def is_published(self):
        return self.publication_status == PublicationStatus.PUBLISHED
