"""ISO 3166-1 alpha-2: the codes a country record may carry (pycountry's list of assigned codes)."""

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ASSIGNED = frozenset(country.alpha_2 for country in pycountry.countries)


def validate_iso_3166_alpha_2(value):
    """Every write path (admin, API, import) runs it through full_clean(); the database itself
    refuses anything but two capital letters (the constraint country_iso_code_two_capitals)."""
    if value.upper() not in ASSIGNED:
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166-1 alpha-2 country code (two letters, e.g. KZ)."),
            code="invalid_iso_code",
            params={"value": value},
        )
