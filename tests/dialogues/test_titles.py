"""Generated round titles in each language's own grammar (dialogues/titles.py)."""

import datetime

import pytest
from django.utils import translation

from dialogues.models import Country, DialogueRound
from dialogues.publishing import PublicationStatus


def title(language, **fields):
    country = Country(name_en="Turkmenistan", name_ru="Туркменистан", publication_status=PublicationStatus.PUBLISHED)
    fields.setdefault("format", "structured")
    with translation.override(language):
        return str(DialogueRound(country=country, **fields))


JUNE_2008 = {"held_on": datetime.date(2008, 6, 1), "held_on_precision": "month"}


@pytest.mark.parametrize(
    ("fields", "english", "russian"),
    [
        (
            JUNE_2008,
            "EU–Turkmenistan human rights dialogue, June 2008",
            # a month mid-phrase in lower case, in the nominative with its year
            "Диалог ЕС – Туркменистан по правам человека, июнь 2008 г.",
        ),
        (
            {"sequence_number": 13, "held_on": datetime.date(2021, 12, 2), "held_on_precision": "day"},
            "13th EU–Turkmenistan human rights dialogue, 2 December 2021",
            # with its day, in the genitive
            "13-й диалог ЕС – Туркменистан по правам человека, 2 декабря 2021 г.",
        ),
        (
            {"sequence_number": 2, "held_on": datetime.date(2019, 1, 1), "held_on_precision": "year"},
            "2nd EU–Turkmenistan human rights dialogue, 2019",
            "2-й диалог ЕС – Туркменистан по правам человека, 2019 г.",
        ),
        (
            {"format": "subcommittee", "sequence_number": 19, **JUNE_2008},
            "19th EU–Turkmenistan Sub-Committee on Justice and Home Affairs, Human Rights and related issues, "
            "June 2008",
            # the numbered meeting (neuter) of the Sub-Committee (genitive)
            "19-е заседание Подкомитета ЕС – Туркменистан по правосудию и внутренним делам, правам человека и "
            "смежным вопросам, июнь 2008 г.",
        ),
        (
            {"format": "subcommittee", **JUNE_2008},
            "EU–Turkmenistan Sub-Committee on Justice and Home Affairs, Human Rights and related issues, June 2008",
            "Подкомитет ЕС – Туркменистан по правосудию и внутренним делам, правам человека и смежным вопросам, "
            "июнь 2008 г.",
        ),
        (
            {"sequence_number": 3},
            "3rd EU–Turkmenistan human rights dialogue",  # undated: known by its number alone
            "3-й диалог ЕС – Туркменистан по правам человека",
        ),
    ],
)
def test_a_round_is_titled_in_each_languages_grammar(fields, english, russian):
    assert title("en", **fields) == english
    assert title("ru", **fields) == russian


def test_a_month_alone_keeps_its_capital_in_russian():
    from dialogues.partial_dates import PartialDate

    with translation.override("ru"):
        assert str(PartialDate.of(datetime.date(2008, 6, 1), "month")) == "Июнь 2008 г."  # e.g. a table cell


def test_a_country_with_no_russian_name_yet_is_named_in_english():
    country = Country(name_en="Turkmenistan", publication_status=PublicationStatus.PUBLISHED)
    with translation.override("ru"):
        assert str(DialogueRound(country=country, format="structured", **JUNE_2008)).startswith(
            "Диалог ЕС – Turkmenistan по правам человека"
        )
