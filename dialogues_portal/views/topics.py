"""The topics: which themes get attention where, and everything on one theme."""

from functools import partial

from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from dialogues.models import Concern, Country, DialogueRound, Topic
from dialogues.publishing import PublicationStatus
from dialogues.tracker import concern_rows
from funding.models import Project
from seminars.models import Seminar

from .. import charts, statistics
from .cached_content import CachedContentMixin, Section

PUBLISHED = PublicationStatus.PUBLISHED


class TopicListView(CachedContentMixin, TemplateView):
    template_name = "portal/topic_list.html"
    content_template = "portal/topic_list_content.html"

    def get_content_context(self):
        context = {"topics": list(Topic.objects.published().order_by("name"))}
        counts = statistics.records_per_topic()
        for topic in context["topics"]:
            for kind, per_topic in counts.items():
                setattr(topic, f"n_{kind}", per_topic.get(topic.pk, 0))
        countries = list(Country.objects.published().order_by("name"))
        attention = statistics.topic_attention(countries)
        topics = context["topics"]
        context["attention_chart"] = charts.heat_map(
            _("Topic attention per country"),
            [country.iso_code for country in countries],
            [(topic.name, [attention[(topic.pk, country.pk)] for country in countries]) for topic in topics],
        )
        context["attention_countries"] = countries
        return context


class TopicDetailView(CachedContentMixin, DetailView):
    """A topic across countries and years, in sections stored apart (cached_content.py)."""

    template_name = "portal/topic_detail.html"
    context_object_name = "topic"
    content_sections = (
        Section("head", "portal/topic/head.html", "head_context"),
        Section("timeline", "portal/topic/timeline.html", "timeline_context"),
        Section("concerns", "portal/topic/concerns.html", "concerns_context"),
        Section("footer", "portal/topic/footer.html"),
    )

    def get_queryset(self):
        return Topic.objects.published().for_detail()

    def head_context(self):
        countries = self.object.dialogue_countries.published().only("name", "slug").order_by("name")
        return {"agenda_countries": list(countries)}

    def timeline_context(self):
        topic = self.object
        story = statistics.story(
            f"topic:{topic.pk}",
            rounds=DialogueRound.objects.published().filter(topics=topic),
            seminars=Seminar.objects.published().filter(topics=topic),
            projects=Project.objects.published().filter(topics=topic),
            projects_count=partial(statistics.projects_in, None, topic.pk),
        )
        return {"story": story, "timeline": story.timeline}

    def concerns_context(self):
        return {"concerns": concern_rows(Concern.objects.public().filter(topics=self.object))}
