"""The records' own texts in English and Russian (django-modeltranslation, <app>/translation.py).

A translated field `name` is stored three times: `name_en`, `name_ru`, and the original column
`name`, which django-modeltranslation writes in whatever language is active at save. Saving in
the default language keeps that column English everywhere: what reads it directly (related
lookups such as `country__name`, exports, history) reads the same text whatever the editor's
language.
"""

from django.conf import settings
from django.db import models
from django.utils import translation


class TranslatedTextsModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)


def in_both_languages(*fields):
    """`name` -> `name_en`, `name_ru`: the columns a search reads, whatever the page's language
    (a lookup on `name` itself reads only the active language's column)."""
    return tuple(f"{field}_{code}" for field in fields for code, _name in settings.LANGUAGES)


def translated_fields(table):
    """The translated fields of the model stored in `table` (what a bulk write that names the
    original columns must also write to `<field>_en`)."""
    from modeltranslation.translator import translator

    for model in translator.get_registered_models(abstract=False):
        if model._meta.db_table == table:
            return tuple(translator.get_options_for_model(model).fields)
    return ()
