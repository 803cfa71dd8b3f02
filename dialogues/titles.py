"""Generated titles, built in the active language's own grammar (a round has no title of its own).

A country that is not public is never named: the title then reads without it.
"""

from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def ordinal(number):
    """ "13th" in English, "13-й" in Russian."""
    if (get_language() or "en").startswith("ru"):
        return f"{number}-й"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def round_title(dialogue_round, country_name):
    """ "13th EU–Kazakhstan human rights dialogue, December 2021"; `country_name` None: unnamed.
    A round no source dates is named by its number alone."""
    from .models import DialogueFormat

    values = {"country": country_name, "date": dialogue_round.held}
    if dialogue_round.format == DialogueFormat.SUBCOMMITTEE:
        if country_name is None:
            name = _("EU Sub-Committee on Justice and Home Affairs, Human Rights and related issues")
        else:
            name = _("EU–%(country)s Sub-Committee on Justice and Home Affairs, Human Rights and related issues")
    elif country_name is None:
        name = _("EU human rights dialogue")
    else:
        name = _("EU–%(country)s human rights dialogue")
    name = name % values
    if dialogue_round.sequence_number:
        name = _("%(ordinal)s %(name)s") % {"ordinal": ordinal(dialogue_round.sequence_number), "name": name}
    if values["date"] is None:
        return capfirst(name)
    return capfirst(_("%(name)s, %(date)s") % {"name": name, "date": values["date"]})
