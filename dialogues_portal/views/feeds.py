"""Atom feeds of newly published rounds, seminars and projects, overall and per country."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from dialogues.models import Country, DialogueRound
from funding.models import Project
from seminars.models import Seminar

FEED_LENGTH = 30

KINDS = {
    "dialogues": (DialogueRound, "country"),
    "seminars": (Seminar, "countries"),
    "projects": (Project, "countries"),
}


class RecordsFeed(Feed):
    """`kinds` picks the record types; a `slug` in the URL narrows the feed to one country."""

    feed_type = Atom1Feed
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
