"""Programmes' and projects' texts a reader sees, in English and Russian (see dialogues/translation.py)."""

from dialogues.translation import TextsOptions, register

from .models import Programme, Project


@register(Programme)
class ProgrammeTranslation(TextsOptions):
    fields = ("name", "summary")
    empty_values = {"name": None}


@register(Project)
class ProjectTranslation(TextsOptions):
    fields = ("title", "summary")
