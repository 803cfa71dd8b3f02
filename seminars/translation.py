"""A seminar's texts a reader sees, in English and Russian (see dialogues/translation.py)."""

from dialogues.translation import TextsOptions, register

from .models import Seminar


@register(Seminar)
class SeminarTranslation(TextsOptions):
    fields = ("title", "city", "theme", "summary")
