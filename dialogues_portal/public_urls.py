"""The public site's URLs, under each language's prefix (/en/, /ru/: urls.py). They are a public
contract: keep them stable.

App pages come from each app's urls.py; the pages that span apps are declared here.
"""

from django.urls import include, path

from dialogues import converters  # noqa: F401  registers <id:...>

from .views import concerns, countries, feeds, home, search, sources, topics
from .views.about import AboutView, DataView

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("countries/", countries.CountryListView.as_view(), name="country-list"),
    path("countries/<slug:slug>/", countries.CountryDetailView.as_view(), name="country-detail"),
    path("countries/<slug:slug>/feed/", feeds.RecordsFeed(), name="country-feed"),
    path("countries/<slug:slug>/concerns/", concerns.CountryConcernsView.as_view(), name="country-concerns"),
    path("countries/<slug:slug>/concerns/feed/", feeds.StatusChangesFeed(), name="country-status-feed"),
    path("concerns/", concerns.ConcernListView.as_view(), name="concern-list"),
    path("concerns/<slug:slug>/", concerns.ConcernDetailView.as_view(), name="concern-detail"),
    path("concerns/<slug:slug>/feed/", feeds.StatusChangesFeed(), name="concern-feed"),
    path("matrix/", concerns.MatrixView.as_view(), name="matrix"),
    path("matrix/export.csv", concerns.matrix_csv, name="matrix-export"),
    path("sources/", sources.SourceListView.as_view(), name="source-list"),
    path("sources/<id:pk>/", sources.SourceDetailView.as_view(), name="source-detail"),
    path("topics/", topics.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", topics.TopicDetailView.as_view(), name="topic-detail"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("about/", AboutView.as_view(), name="about"),
    path("data/", DataView.as_view(), name="data"),
    path("feeds/latest/", feeds.RecordsFeed(), name="feed-latest"),
    path("feeds/dialogues/", feeds.DialogueRoundFeed(), name="feed-dialogues"),
    path("feeds/seminars/", feeds.SeminarFeed(), name="feed-seminars"),
    path("feeds/projects/", feeds.ProjectFeed(), name="feed-projects"),
    path("feeds/status-changes/", feeds.StatusChangesFeed(), name="feed-status-changes"),
    path("", include("dialogues.urls")),
    path("", include("seminars.urls")),
    path("", include("funding.urls")),
]
