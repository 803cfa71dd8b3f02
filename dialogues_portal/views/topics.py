"""The topics: which themes get attention where, and everything on one theme."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from dialogues.models import Country, DialogueRound, Topic
from dialogues.publishing import PublicationStatus
from funding.models import Project
from seminars.models import Seminar

from .. import charts, statistics

PUBLISHED = PublicationStatus.PUBLISHED


class TopicListView(ListView):
    template_name = "portal/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        published = Q(dialogue_rounds__publication_status=PUBLISHED)
        # one count per relation, each DISTINCT: the joins multiply rows
        return (
            Topic.objects.published()
            .annotate(
                n_rounds=Count("dialogue_rounds", filter=published, distinct=True),
                n_seminars=Count("seminars", filter=Q(seminars__publication_status=PUBLISHED), distinct=True),
                n_projects=Count("projects", filter=Q(projects__publication_status=PUBLISHED), distinct=True),
                n_countries=Count(
                    "dialogue_countries",
                    filter=Q(dialogue_countries__publication_status=PUBLISHED),
                    distinct=True,
                ),
            )
            .order_by("name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
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


class TopicDetailView(DetailView):
    template_name = "portal/topic_detail.html"
    context_object_name = "topic"

    def get_queryset(self):
        return Topic.objects.published().for_detail()

    def get_context_data(self, **kwargs):
        topic = self.object
        rounds = list(DialogueRound.objects.published().for_listing().filter(topics=topic))
        seminars = list(Seminar.objects.published().for_listing().filter(topics=topic))
        projects = list(Project.objects.published().for_listing().filter(topics=topic))
        return super().get_context_data(
            agenda_countries=topic.dialogue_countries.published().only("name", "slug").order_by("name"),
            rounds=rounds,
            seminars=seminars,
            projects=projects,
            timeline=statistics.timeline(rounds, seminars, projects),
            **kwargs,
        )
