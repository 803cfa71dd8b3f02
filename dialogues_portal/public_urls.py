"""The public site's URLs. They are a public contract: keep them stable.

App pages come from each app's urls.py; the pages that span apps are declared here.
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from .views import countries, feeds, home, search, seo, topics

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("countries/", countries.CountryListView.as_view(), name="country-list"),
    path("countries/<slug:slug>/", countries.CountryDetailView.as_view(), name="country-detail"),
    path("countries/<slug:slug>/feed/", feeds.RecordsFeed(), name="country-feed"),
    path("topics/", topics.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", topics.TopicDetailView.as_view(), name="topic-detail"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("feeds/latest/", feeds.RecordsFeed(), name="feed-latest"),
    path("feeds/dialogues/", feeds.DialogueRoundFeed(), name="feed-dialogues"),
    path("feeds/seminars/", feeds.SeminarFeed(), name="feed-seminars"),
    path("feeds/projects/", feeds.ProjectFeed(), name="feed-projects"),
    path("sitemap.xml", sitemap, {"sitemaps": seo.SITEMAPS}, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots-txt"),
    path("", include("dialogues.urls")),
    path("", include("seminars.urls")),
    path("", include("funding.urls")),
]
