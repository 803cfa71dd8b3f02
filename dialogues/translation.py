"""The core records' texts a reader sees, in English and Russian (django-modeltranslation).

English is required where the field is; Russian is optional and falls back to English. A unique
name keeps NULL, not "", for a Russian name not yet entered (two blanks are no duplicate). Each
record's history (django-simple-history) keeps both languages too: `register` registers it.
"""

from modeltranslation.translator import TranslationOptions, translator

from .models import Concern, Country, DialogueRound, Organisation, Place, Topic


class TextsOptions(TranslationOptions):
    required_languages = ("en",)


def register(model):
    """Translate `model`'s fields, and its historical records' (a history entry copies every field)."""

    def register_options(options):
        translator.register(model, options)
        translator.register(model.history.model, type(f"Historical{options.__name__}", (options,), {}))
        return options

    return register_options


@register(Country)
class CountryTranslation(TextsOptions):
    fields = ("name", "summary")
    empty_values = {"name": None}


@register(Topic)
class TopicTranslation(TextsOptions):
    fields = ("name", "description")
    empty_values = {"name": None}


@register(Organisation)
class OrganisationTranslation(TextsOptions):
    fields = ("name", "description")


@register(Place)
class PlaceTranslation(TextsOptions):
    fields = ("name",)
    empty_values = {"name": None}  # unique per country


@register(DialogueRound)
class DialogueRoundTranslation(TextsOptions):
    fields = ("place", "summary")


@register(Concern)
class ConcernTranslation(TextsOptions):
    fields = ("title", "summary")
    empty_values = {"title": None}  # unique per country
