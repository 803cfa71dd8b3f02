"""The page in each language, and the English a Russian page shows until a text is translated.

`{% page_in_languages as languages %}`: this page in every language, query string kept, for the
hreflang alternates and the language switcher. `{{ country|translated:"name" }}` prints the
active language's text; where it falls back to English on a Russian page it is wrapped in
`<span lang="en">`, so that screen readers read it as English and readers know. For a block that
holds several paragraphs, `<div{{ round|english_fallback:"summary" }}>` puts the attribute on it.
`{{ record|translated_name }}` prints a record of any kind by its name, as `str(record)` does,
marked in the same way (a round's generated title is in the page's language already), or as
English where the record keeps it in English only.
`{{ call.title|english }}` marks a text that records keep in English only (no Russian column:
a call's title and summary, a figure's or a concern step's statement, a recommendation).
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info

register = template.Library()


def falls_back(record, field_name):
    """Whether `record.<field_name>` shows English on a page in another language: the field is
    translated (it has `<field>_<language>`), empty in the page's language, and not in English."""
    language = get_language()
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if record is None or not language or language == default:
        return False
    own = f"{field_name}_{language}"
    if not hasattr(record, own):
        return False
    return not getattr(record, own) and bool(getattr(record, f"{field_name}_{default}", None))


@register.filter
def translated(record, field_name):
    value = getattr(record, field_name, "") if record is not None else ""
    if falls_back(record, field_name):
        return format_html('<span lang="{}">{}</span>', settings.MODELTRANSLATION_DEFAULT_LANGUAGE, value)
    return value


NAME_FIELDS = ("title", "name", "statement")


def name_field(record):
    """The field that `str(record)` prints (a title, a name, a figure's statement), or None (a
    round's title, generated in the page's language)."""
    shown = str(record)
    return next((name for name in NAME_FIELDS if getattr(record, name, None) == shown), None)


@register.filter
def translated_name(record):
    field_name = name_field(record)
    if field_name is None:
        return str(record)
    if hasattr(record, f"{field_name}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"):
        return translated(record, field_name)
    return english(str(record))  # a field kept in English only (a call's title)


@register.filter
def english(text):
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if not text or get_language() in (None, default):
        return text
    return format_html('<span lang="{}">{}</span>', default, text)


@register.filter
def english_fallback(record, field_name):
    """` lang="en"` for the element that holds `record.<field_name>` when it falls back to English."""
    if falls_back(record, field_name):
        return format_html(' lang="{}"', settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
    return ""


@register.simple_tag(takes_context=True)
def page_in_languages(context):
    """[{code, name, path, url, current}] for every language: this page's path and query string
    under that language's prefix, and its absolute URL. Empty where the page has no language
    (an error page for a path no language serves)."""
    request = context.get("request")
    if request is None:
        return []
    here = request.get_full_path()
    current = get_language()
    pages = []
    for code, _name in settings.LANGUAGES:
        path = translate_url(here, code)
        if path == here and code != current:
            return []  # the path does not resolve: no page to offer in another language
        pages.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "path": path,
                "url": request.build_absolute_uri(path),
                "current": code == current,
            }
        )
    return pages


@register.simple_tag(takes_context=True)
def page_for_any_language(context, pages):
    """The absolute URL of this page without a language prefix (hreflang x-default), which
    redirects each visitor to their language, as the sitemap's x-default does."""
    default = next((page["path"] for page in pages if page["code"] == settings.LANGUAGE_CODE), None)
    if default is None:
        return ""
    return context["request"].build_absolute_uri(default.replace(f"/{settings.LANGUAGE_CODE}/", "/", 1))
