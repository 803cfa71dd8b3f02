"""What each database constraint means to an editor, and the field to fix: one place for them all.

Every CheckConstraint and UniqueConstraint of every app has an entry here, keyed by its name (a
test fails when a model gains one without). The admin's forms and the spreadsheet import show these
messages instead of Django's `Constraint "..." is violated.`; they are attached at the form layer,
not on the constraints themselves, so that rewording one never needs a migration. Names only: the
core imports none of the apps around it.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.utils.translation import gettext_lazy as _

PARTIAL_DATE_HELP = _("Give the date as the source does: a year (2008), a month (2008-06) or a day (2008-06-13).")
POSITIVE = _("An amount must be more than 0; leave it blank when it is unknown (never 0).")
FROM_ONE = _("Numbers start at 1; leave it blank when it is unknown.")


def _date_with_precision(model_name, field_name):
    """The entry of a `precision_constraint` (dialogues/partial_dates.py): a date has a precision iff known."""
    return {f"{model_name}_{field_name}_precision_iff_date": (field_name, PARTIAL_DATE_HELP)}


MESSAGES = {
    # dialogues
    "citation_unique": ("source", _("This source is already cited for this value with the same reading.")),
    "citation_names_a_field": ("field", _("Name the field whose value is cited, e.g. held_on.")),
    "citation_basis_valid": ("basis", _("Choose whether the source states the value or it was inferred.")),
    "citation_inference_and_reading_explained": (
        "note",
        _("Say in the note how the value was inferred, or why the portal shows another reading."),
    ),
    **_date_with_precision("source", "published_on"),
    "country_iso_code_two_capitals": ("iso_code", _("Give the two-letter ISO 3166-1 code in capitals, e.g. KZ.")),
    **_date_with_precision("country", "dialogue_started_on"),
    **_date_with_precision("country", "dialogue_agreed_on"),
    **{
        f"{model}_slug_unique_ignoring_case": (
            "slug",
            _("This slug is taken (slugs are compared without regard to case)."),
        )
        for model in ("topic", "country", "organisation", "concern")
    },
    "organisation_iati_ref_unique": (
        "iati_ref",
        _("Another organisation has this IATI identifier (identifiers are compared without regard to case)."),
    ),
    "place_unique_name_per_country": ("name", _("This country already has a place of this name.")),
    **_date_with_precision("dialogueround", "held_on"),
    "dialogueround_dated_or_numbered": (
        "held_on",
        _("Give the date, or the number of a round that no source dates."),
    ),
    "dialogueround_sequence_number_from_one": ("sequence_number", FROM_ONE),
    "dialogueround_unique_sequence": (
        "sequence_number",
        _(
            "This country already has a round of this format with this number: check the number, "
            "or edit that round instead."
        ),
    ),
    "dialogueround_number_has_basis": (
        "number_basis",
        _("A number needs its basis (stated by a source, or inferred); without a number, leave the basis blank."),
    ),
    "dialogueround_inferred_number_explained": (
        "number_note",
        _("Say how the number was inferred, e.g. from the rounds before and after."),
    ),
    "dialogueround_span_after_start": (
        "held_until",
        _("The last day must come after the first, and the round's date must then be a day, not a month or a year."),
    ),
    "dialogueround_alongside_number_named": (
        "alongside_number",
        _("Name the meeting this number belongs to (held alongside), and number it from 1."),
    ),
    "concern_unique_title_per_country": ("title", _("This country already has a concern with this title.")),
    "concern_has_title": ("title", _("Give the concern a title.")),
    **_date_with_precision("concernentry", "stated_on"),
    "concernentry_one_occasion": (
        "dialogue_round",
        _("Choose the round, or describe the statement and give its date, but not both."),
    ),
    "concernentry_once_per_round": (
        "concern",
        _("This concern already has an entry for this round: edit that entry instead."),
    ),
    "concernentry_once_per_statement": (
        "occasion",
        _("This concern already has an entry for this statement on this date."),
    ),
    "concernentry_status_valid": ("status", _("Choose one of the statuses offered.")),
    "concernentry_voice_valid": ("asserted_by", _("Choose who asserts the status from the list.")),
    # seminars
    **_date_with_precision("seminar", "held_on"),
    "seminar_edition_from_one": ("edition", FROM_ONE),
    "recommendation_unique_position": ("position", _("Another recommendation of this seminar has this position.")),
    "recommendation_text_not_empty": ("text", _("Give the recommendation's text.")),
    "recommendation_response_cited": (
        "partner_response_source",
        _("A partner's response needs the source that gives it; without a response, leave the source blank."),
    ),
    # funding
    **_date_with_precision("programme", "launched_on"),
    "programme_envelope_positive": ("envelope_eur", POSITIVE),
    "programme_not_its_own_predecessor": ("predecessor", _("A programme cannot grow from itself.")),
    **_date_with_precision("call", "announced_on"),
    "call_total_positive": ("total_amount_eur", POSITIVE),
    "call_year_plausible": ("year", _("Give a year between 1950 and 2100.")),
    "call_not_its_own_part": ("parent", _("A call cannot be a part of itself.")),
    **_date_with_precision("project", "starts_on"),
    **_date_with_precision("project", "ends_on"),
    "project_contribution_positive": ("eu_contribution_eur", POSITIVE),
    "project_ends_after_start": ("ends_on", _("The end cannot come before the start.")),
    "project_duration_positive": ("duration_months", _("A duration is at least 1 month; leave it blank when unknown.")),
    "fundingfigure_amount_positive": ("amount_eur", _("Give the amount the source states: more than 0.")),
    "fundingfigure_qualifier_valid": ("qualifier", _("Choose one of the qualifiers offered.")),
    "fundingfigure_period_valid": ("period", _("Choose one of the periods offered.")),
    "fundingfigure_until_after_since": ("until_year", _("The last year cannot come before the first.")),
    # funding: what IATI activity files state (funding/iati/models.py)
    "project_source_kind_valid": ("source_kind", _("Choose one of the kinds of record offered.")),
    "project_iati_identifier_iff_iati": (
        "iati_identifier",
        _("A project from an IATI file has its IATI identifier; an editorial project has none."),
    ),
    "project_iati_identifier_unique_ignoring_case": (
        "iati_identifier",
        _("Another project has this IATI identifier (compared without regard to case)."),
    ),
    "project_not_a_duplicate_of_itself": ("duplicate_of", _("A project cannot be a duplicate of itself.")),
    "project_not_its_own_iati_parent": ("iati_parent", _("An activity cannot be its own parent.")),
    "iatifile_sha256_hex_length": ("sha256", _("A SHA-256 is 64 lowercase hexadecimal characters.")),
    "sectortopic_code_dac5": ("code", _("Give the DAC 5-digit code, e.g. 15160.")),
    "projectsector_code_dac5": ("code", _("Give the DAC 5-digit code, e.g. 15160.")),
    "projectsector_percentage_0_to_100": ("percentage", _("A percentage lies between 0 and 100.")),
    "projectsector_once_per_project": ("code", _("This sector is already stated for the project.")),
    "projectcountryshare_code_two_capitals": (
        "country_code",
        _("Give the two-letter ISO 3166-1 code in capitals, e.g. KZ."),
    ),
    "projectcountryshare_percentage_0_to_100": ("percentage", _("A percentage lies between 0 and 100.")),
    "projectcountryshare_once_per_project": ("country_code", _("This country is already stated for the project.")),
    "iatitransaction_type_valid": ("transaction_type", _("A commitment (2), disbursement (3) or expenditure (4).")),
    "iatitransaction_currency_three_capitals": ("currency", _("Give the ISO 4217 code in capitals, e.g. EUR.")),
    "iatibudget_type_valid": ("budget_type", _("A budget is original (1) or revised (2).")),
    "iatibudget_status_valid": ("status", _("A budget is indicative (1) or committed (2).")),
    "iatibudget_end_after_start": ("period_end", _("A budget period ends after it starts.")),
    "iatibudget_currency_three_capitals": ("currency", _("Give the ISO 4217 code in capitals, e.g. EUR.")),
    "exchangerate_currency_three_capitals": ("currency", _("Give the ISO 4217 code in capitals, e.g. USD.")),
    "exchangerate_not_eur": ("currency", _("Amounts in EUR need no rate.")),
    "exchangerate_rate_positive": ("eur_per_unit", _("A rate is more than 0.")),
    "exchangerate_until_after_from": ("valid_until", _("The last day cannot come before the first.")),
    "exchangerate_one_per_start": ("valid_from", _("This currency already has a rate from this day.")),
    # revisions
    "one_pending_revision_per_record": (
        "object_id",
        _("This record already has a change waiting for review: a publisher must decide on it first."),
    ),
    "revision_reviewed_when_decided": ("reviewed_at", _("A decided change has a review date; a waiting one has none.")),
    "revision_changes_something": ("changes", _("A proposal changes at least one field.")),
    # the admin's imports in the background (written by the import itself, never by a form)
    "pendingimport_stage_valid": ("stage", _("Choose one of the stages an import goes through.")),
    "pendingimport_background_complete": (
        "model",
        _("An import run by the worker names its model, resource, format, rows and uploader."),
    ),
    "iatiupload_stage_valid": ("stage", _("Choose one of the stages an import goes through.")),
    # the known contribution's cells, computed from the records (funding/summaries.py)
    "contributioncell_one_per_key": (
        "scope",
        _("This scope, programme and year have their figures."),
    ),
    "contributioncell_not_empty": ("projects", _("A stored figure counts at least one call or project.")),
    "contributioncell_iati_counted": (
        "projects_iati",
        _("IATI activities counted are projects counted."),
    ),
    "contributionyear_one_per_key": ("scope", _("This scope and year have their sum.")),
    "contributionyear_counted": ("records", _("A stored sum counts at least one call or project.")),
    "projectcount_one_per_key": ("scope", _("This scope and topic have their count.")),
    "projectcount_not_empty": ("projects", _("A stored count counts at least one project.")),
    "summaryledger_single_row": ("built", _("The contribution's figures have one record of their state.")),
}
# django-modeltranslation copies a uniqueness over a translated field once per language ("-en", "-ru")
for _name, (_field, _message) in list(MESSAGES.items()):
    if _name in ("place_unique_name_per_country", "concern_unique_title_per_country"):
        MESSAGES.update({f"{_name}-{language}": (f"{_field}_{language}", _message) for language in ("en", "ru")})


def constraint_errors(instance, exclude=(), *, checks=True):
    """The record's constraint violations as {field: [ValidationError]}, in plain language.

    Runs what Model.validate_constraints() runs (a constraint on an excluded field is skipped, as
    there), but files each violation under its field with its message from MESSAGES. With
    checks=False, CheckConstraints are left out: the import checks them for all its rows at once.
    """
    using = router.db_for_write(type(instance), instance=instance)
    errors = {}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            if not checks and isinstance(constraint, models.CheckConstraint):
                continue
            try:
                constraint.validate(model, instance, exclude=set(exclude), using=using)
            except ValidationError as error:
                field, message = MESSAGES.get(constraint.name, (NON_FIELD_ERRORS, None))
                plain = ValidationError(message, code=constraint.name) if message else error
                errors.setdefault(field, []).append(plain)
    return errors
