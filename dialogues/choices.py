"""Choices shared by the apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Qualifier(models.TextChoices):
    """How a source qualifies a number: "more than 70", "about 1 million"."""

    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    MORE_THAN = "more_than", _("more than")
    NEARLY = "nearly", _("nearly")
    AT_LEAST = "at_least", _("at least")
    UP_TO = "up_to", _("up to")
