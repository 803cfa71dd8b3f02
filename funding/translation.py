"""Programmes', projects' and DAC sectors' texts a reader sees, in English and Russian (see
dialogues/translation.py)."""

from modeltranslation.translator import translator

from dialogues.translation import TextsOptions, register

from .models import Programme, Project, SectorTopic


@register(Programme)
class ProgrammeTranslation(TextsOptions):
    fields = ("name", "summary")
    empty_values = {"name": None}


@register(Project)
class ProjectTranslation(TextsOptions):
    fields = ("title", "summary")


class SectorTopicTranslation(TextsOptions):
    fields = ("name",)


translator.register(SectorTopic, SectorTopicTranslation)  # no history to translate: the mapping keeps none
