"""What search engines read: sitemap.xml (published records only, in both languages) and robots.txt."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from dialogues.models import Concern, Country, DialogueRound, Source, Topic
from funding.models import Programme, Project
from seminars.models import Seminar


class BothLanguages:
    """Each page once per language (/en/..., /ru/...), each entry naming the other as its alternate."""

    i18n = True
    alternates = True
    x_default = True  # the unprefixed URL, which redirects to the visitor's language


class StaticSitemap(BothLanguages, Sitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "country-list",
            "dialogueround-list",
            "seminar-list",
            "programme-list",
            "project-list",
            "topic-list",
            "concern-list",
            "matrix",
            "source-list",
            "about",
            "data",
        ]

    def location(self, item):
        return reverse(item)


class RecordSitemap(BothLanguages, Sitemap):
    model = None
    fields = ("pk", "updated_at")

    def items(self):
        return self.model.objects.published().only(*self.fields).order_by("pk")

    def lastmod(self, item):
        return item.updated_at


def record_sitemap(model, *fields):
    return type(f"{model.__name__}Sitemap", (RecordSitemap,), {"model": model, "fields": ("pk", "updated_at", *fields)})


class ConcernSitemap(RecordSitemap):
    model = Concern
    fields = ("pk", "updated_at", "slug")

    def items(self):
        return Concern.objects.public().only(*self.fields).order_by("pk")  # its page names the country


SITEMAPS = {
    "pages": StaticSitemap,
    "countries": record_sitemap(Country, "slug"),
    "topics": record_sitemap(Topic, "slug"),
    "dialogues": record_sitemap(DialogueRound),
    "seminars": record_sitemap(Seminar),
    "programmes": record_sitemap(Programme, "slug"),
    "projects": record_sitemap(Project),
    "concerns": ConcernSitemap,
    "sources": record_sitemap(Source),
}


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /i18n/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
