"""Atom feeds of newly published rounds, seminars and projects, overall and per country, and of
the follow-up tracker's status changes."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from dialogues.models import Concern, Country, DialogueRound
from dialogues.plain_text import without_forbidden
from dialogues.tracker import concern_states
from funding.models import Project
from seminars.models import Seminar

FEED_LENGTH = 30


def _clean(value):
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(part) for part in value)
    return without_forbidden(str(value)) if isinstance(value, Promise) else without_forbidden(value)


class PortalAtomFeed(Atom1Feed):
    """Atom with plain-text summaries, and without the characters XML cannot carry: one record stored
    with a control character (the write paths refuse them, dialogues/plain_text.py) must never make
    a feed answer 500."""

    def __init__(self, *args, **kwargs):
        super().__init__(*(_clean(arg) for arg in args), **{name: _clean(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*(_clean(arg) for arg in args), **{name: _clean(value) for name, value in kwargs.items()})

    def add_item_elements(self, handler, item):
        # Summaries are plain text (the pages escape them): as type="html" a reader would render an
        # editor's markup, scripts included.
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


KINDS = {
    "dialogues": (DialogueRound, "country"),
    "seminars": (Seminar, "countries"),
    "projects": (Project, "countries"),
}


class RecordsFeed(Feed):
    """`kinds` picks the record types; a `slug` in the URL narrows the feed to one country."""

    feed_type = PortalAtomFeed
    kinds = tuple(KINDS)

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        return get_object_or_404(Country.objects.published(), slug=slug)

    def title(self, country):
        if country is not None:
            return _("EU human rights dialogue with %(country)s: new records") % {"country": country.name}
        return _("EU–Central Asia human rights dialogues: new records")

    def link(self, country):
        return country.get_absolute_url() if country is not None else reverse("home")

    def subtitle(self, country):
        return _("Newly published dialogue rounds, seminars and projects.")

    def items(self, country):
        records = []
        for kind in self.kinds:
            model, country_path = KINDS[kind]
            queryset = model.objects.published().for_listing()
            if country is not None:
                queryset = queryset.filter(**{country_path: country})
            records += queryset.order_by("-created_at", "-pk")[:FEED_LENGTH]
        return sorted(records, key=lambda record: (record.created_at, record.pk), reverse=True)[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item._meta.verbose_name.capitalize()}: {item}"

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class DialogueRoundFeed(RecordsFeed):
    kinds = ("dialogues",)


class SeminarFeed(RecordsFeed):
    kinds = ("seminars",)


class ProjectFeed(RecordsFeed):
    kinds = ("projects",)


class StatusChangesFeed(Feed):
    """The follow-up tracker's status changes: every public entry whose status differs from the
    concern's previous one, everywhere, for one country or for one concern (by the URL's name)."""

    feed_type = PortalAtomFeed

    def get_object(self, request, slug=None):
        name = request.resolver_match.url_name
        if name == "concern-feed":
            return get_object_or_404(Concern.objects.public(), slug=slug)
        if name == "country-status-feed":
            return get_object_or_404(Country.objects.published(), slug=slug)
        return None

    def title(self, scope):
        if isinstance(scope, Concern):
            return _("%(concern)s: status changes") % {"concern": scope.title}
        if isinstance(scope, Country):
            return _("Concerns raised with %(country)s: status changes") % {"country": scope.name}
        return _("EU–Central Asia human rights dialogues: status changes of concerns")

    def link(self, scope):
        if isinstance(scope, Concern):
            return scope.get_absolute_url()
        if isinstance(scope, Country):
            return reverse("country-concerns", kwargs={"slug": scope.slug})
        return reverse("concern-list")

    def subtitle(self, scope):
        return _("Each time the recorded status of a concern changed, with who said so.")

    def items(self, scope):
        concerns = Concern.objects.public()
        concerns = concerns.select_related("country")
        if isinstance(scope, Concern):
            concerns = concerns.filter(pk=scope.pk)
        elif isinstance(scope, Country):
            concerns = concerns.filter(country=scope)
        concerns = list(concerns)
        by_id = {concern.pk: concern for concern in concerns}
        changes = [
            entry
            for pk, state in concern_states(concerns).items()
            for entry in state.changes()
            if by_id.get(pk) is not None
        ]
        for entry in changes:
            entry.concern = by_id[entry.concern_id]
        return sorted(changes, key=lambda entry: (entry.occasion_on, entry.pk), reverse=True)[:FEED_LENGTH]

    def item_title(self, entry):
        return f"{entry.concern.title} ({entry.concern.country.name}): {entry.get_status_display()}, {entry.date}"

    def item_description(self, entry):
        return entry.statement  # plain text: the feed escapes it

    def item_link(self, entry):
        return f"{entry.concern.get_absolute_url()}#entry-{entry.pk}"

    def item_pubdate(self, entry):
        return datetime.datetime.combine(entry.occasion_on, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, entry):
        return entry.updated_at
