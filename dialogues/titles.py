"""Generated titles, built in the active language's own grammar (a round has no title of its own).

A country that is not public is never named: the title then reads without it. In Russian a
numbered Sub-Committee round is its "13-е заседание Подкомитета ..." (a meeting, in the neuter,
of the Sub-Committee, in the genitive), and a date after the comma keeps its month in lower case
("июнь 2008 г.", "13 июня 2008 г."), as Russian writes a month mid-phrase.
"""

from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from .partial_dates import DatePrecision


def in_russian():
    return (get_language() or "en").startswith("ru")


def ordinal(number, *, neuter=False):
    """ "13th" in English; "13-й" in Russian ("13-е" before a neuter noun: "13-е заседание")."""
    if in_russian():
        return f"{number}-е" if neuter else f"{number}-й"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def date_in_phrase(date):
    """The partial date as it reads after a comma: "June 2008"; in Russian "июнь 2008 г." (its
    month-and-year format starts with a capital: a month alone reads "Июнь 2008 г.") and "2008 г."."""
    if not in_russian():
        return str(date)
    if date.precision == DatePrecision.YEAR:
        return f"{date.year} г."  # as the Russian day and month formats end
    text = str(date)
    return text[:1].lower() + text[1:]


def round_title(dialogue_round, country_name):
    """ "13th EU–Kazakhstan human rights dialogue, December 2021"; `country_name` None: unnamed.
    A round no source dates is named by its number alone."""
    from .models import DialogueFormat

    values = {"country": country_name}
    numbered = bool(dialogue_round.sequence_number)
    if dialogue_round.format == DialogueFormat.SUBCOMMITTEE:
        # after its number the Russian names the Sub-Committee in the genitive (the meeting "of" it)
        if country_name is None:
            name = (
                pgettext(
                    "numbered meeting of",
                    "EU Sub-Committee on Justice and Home Affairs, Human Rights and related issues",
                )
                if numbered
                else _("EU Sub-Committee on Justice and Home Affairs, Human Rights and related issues")
            )
        elif numbered:
            name = pgettext(
                "numbered meeting of",
                "EU–%(country)s Sub-Committee on Justice and Home Affairs, Human Rights and related issues",
            )
        else:
            name = _("EU–%(country)s Sub-Committee on Justice and Home Affairs, Human Rights and related issues")
    elif country_name is None:
        name = _("EU human rights dialogue")
    else:
        name = _("EU–%(country)s human rights dialogue")
    name = name % values
    if numbered and dialogue_round.format == DialogueFormat.SUBCOMMITTEE:
        name = pgettext("numbered meeting of", "%(ordinal)s %(name)s") % {
            "ordinal": ordinal(dialogue_round.sequence_number, neuter=True),
            "name": name,
        }
    elif numbered:
        name = _("%(ordinal)s %(name)s") % {"ordinal": ordinal(dialogue_round.sequence_number), "name": name}
    if dialogue_round.held is None:
        return capfirst(name)
    return capfirst(_("%(name)s, %(date)s") % {"name": name, "date": date_in_phrase(dialogue_round.held)})
