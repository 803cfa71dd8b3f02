"""What an IATI file states, as it states it: an amount in its own currency."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def stated_amount(value, currency):
    """ "1,000.50 USD": the value as stated, with its ISO currency code (never converted here)."""
    amount = Decimal(value)
    decimals = 0 if amount == amount.to_integral_value() else 2
    return f"{number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)} {currency}"


@register.filter
def commitments_unconverted(project, transactions):
    """Whether the project's commitments include one in another currency that no rate converted
    (its EUR contribution is then unknown, and the page says why)."""
    return project.eu_contribution_eur is None and any(
        t.transaction_type == 2 and t.currency != "EUR" for t in transactions
    )


@register.simple_tag
def stated_sectors(project):
    """[(code, name or "", percentage or None)]: the DAC sectors the activity states, each named
    in the reader's language by the mapping table where it has the code (two queries)."""
    from dialogues.templatetags.languages import translated
    from funding.models import SectorTopic

    stated = list(project.sectors.order_by("-percentage", "code").values_list("code", "percentage"))
    names = {row.code: row for row in SectorTopic.objects.filter(code__in=[code for code, _share in stated])}
    return [(code, translated(names[code], "name") if code in names else "", share) for code, share in stated]
