"""Presentation of facts, one filter each: partial dates, EUR amounts, unknown values.

Templates never format a date or an amount by hand: `{{ round.held|partial_date }}`,
`{{ project.eu_contribution_eur|eur }}`, `{{ seminar.city|or_unknown }}`.
"""

import datetime
from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogues.highlight import highlight
from dialogues.partial_dates import PartialDate

register = template.Library()


def unknown():
    return _("unknown")


@register.filter
def partial_date(value):
    """ "June 2008", "2019" or "15 June 2008", as precisely as the source gives it; else "unknown"."""
    if value is None or value == "":
        return unknown()
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, datetime.datetime):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


@register.filter
def eur(value):
    """An amount in euros with thousands separators ("€670,000"); None is "unknown", never 0."""
    if value is None or value == "":
        return unknown()
    amount = Decimal(value)
    decimals = 0 if amount == amount.to_integral_value() else 2
    formatted = number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return _("€%(amount)s") % {"amount": formatted}


@register.filter
def or_unknown(value):
    if value is None or value == "":
        return unknown()
    return value


@register.filter
def get_item(mapping, key):
    """`{{ counts|get_item:code }}`: a dictionary lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def published_only(records):
    """Keep the published ones of related records a queryset could not filter (e.g. a FK)."""
    return [record for record in records if getattr(record, "is_published", False)]


@register.filter
def published_one(record):
    """A single related record as a list, empty when it is missing or a draft."""
    return [record] if getattr(record, "is_published", False) else []


@register.simple_tag
def cite(record, field_name, in_page=True):
    """Footnote markers for the citations of one value of `record`: each names and links its
    source (numbered as in the record's sources block), says when the value is inferred, and
    gives another source's differing reading. Reads `record.citations` and `record.sources`
    (prefetched by the record's for_detail()). `in_page=False` for a record summarised on another
    record's page, whose sources block is not this one's: each marker links the source's own page."""
    citations = [c for c in record.citations.all() if c.field == field_name]
    if not citations:
        return ""
    numbers = {source.pk: index for index, source in enumerate(record.sources.all(), start=1)} if in_page else {}
    marks, readings = [], []
    for citation in citations:
        source = citation.source
        number = numbers.get(source.pk)
        target = f"#source-{number}" if number else source.get_absolute_url()
        label = f"[{number}]" if number else f"[{_('source')}]"
        if citation.reading:
            readings.append(
                format_html(
                    '<span class="reading">{} <q>{}</q> <a href="{}" title="{}">{}</a>{}</span>',
                    _("another source gives"),
                    citation.reading,
                    target,
                    source.title,
                    label,
                    format_html(" — {}", citation.note) if citation.note else "",
                )
            )
            continue
        if citation.basis == "inferred":
            title = _("Inferred: %(note)s (%(source)s)") % {"note": citation.note, "source": source.title}
            marks.append(
                format_html('<a class="cite inferred" href="{}" title="{}">{}</a>', target, title, _("inferred"))
            )
        else:
            title = _("Stated by: %(source)s") % {"source": source.title}
            marks.append(format_html('<a class="cite" href="{}" title="{}">{}</a>', target, title, label))
    html = format_html("<sup>{}</sup>", format_html_join(" ", "{}", ((m,) for m in marks))) if marks else ""
    if readings:
        html = format_html("{} ({})", html, format_html_join("; ", "{}", ((r,) for r in readings)))
    return html


@register.filter
def not_stated(record, field_names):
    """ "place, EU delegation led by": the fields among `field_names` that the record leaves blank,
    by their names, for one compact line instead of a row of "unknown" each."""
    names = []
    for name in field_names.split(","):
        if getattr(record, name) in (None, ""):
            names.append(str(record._meta.get_field(name).verbose_name))
    return ", ".join(names)


@register.filter(name="highlight")
def highlight_filter(value, query):
    """`{{ project.title|highlight:search_query }}`: the words the search found, in <mark>."""
    return highlight(value, query)


def is_blank(value):
    """A fact no source states: nothing, an empty text or list, an unpublished record's `is_published`."""
    if value is None or value is False or value == "":
        return True
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return not list(value)  # a prefetched relation: no query
    return False


@register.simple_tag
def not_stated_line(*labels_and_values):
    """`{% not_stated_line _("places") object.places.all _("amount") object.eu_contribution_eur %}`:
    the one compact line "Not stated by the sources: places, amount." naming, of these facts, those
    left blank; nothing when every one is stated. The page shows the stated ones as rows."""
    labels, values = labels_and_values[::2], labels_and_values[1::2]
    missing = [str(label) for label, value in zip(labels, values, strict=True) if is_blank(value)]
    if not missing:
        return ""
    return format_html('<p class="muted not-stated">{} {}.</p>', _("Not stated by the sources:"), ", ".join(missing))


@register.simple_tag
def status_marks(marks, earlier=0):
    """A concern's status strip (includes/status_strip.html): a mark per round, its date and what
    was recorded there, and how many earlier rounds it leaves out. Written here, not by a template
    loop: a list of a dozen concerns has a dozen marks each, and the loop's lookups and
    translations were most of a country page's concerns after a round's edit."""
    if not marks:
        return ""
    nothing = _("nothing recorded")
    items = []
    for mark in marks:
        label = f"{mark.dialogue_round.held_text}: {mark.entry.get_status_display() if mark.entry else nothing}"
        items.append((mark.status or "none", label, label))
    strip = format_html(
        '<ol class="status-strip" aria-label="{}">{}</ol>',
        _("Status at each round"),
        format_html_join(
            "", '<li class="status-mark status-{}" title="{}"><span class="visually-hidden">{}</span></li>', items
        ),
    )
    if not earlier:
        return strip
    shown = ngettext("%(counter)s earlier round not shown", "%(counter)s earlier rounds not shown", earlier)
    return mark_safe(format_html('<span class="muted">{}</span> ', shown % {"counter": earlier}) + strip)
