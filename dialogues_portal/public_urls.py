"""The public site's pages (stub: replaced by the public-site work)."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request, **kwargs):
    return HttpResponse("EU–Central Asia human rights dialogues portal")


urlpatterns = [
    path("", placeholder, name="home"),
    path("countries/<slug:slug>/", placeholder, name="country-detail"),
    path("topics/<slug:slug>/", placeholder, name="topic-detail"),
    path("dialogues/<int:pk>/", placeholder, name="dialogueround-detail"),
    path("seminars/<int:pk>/", placeholder, name="seminar-detail"),
    path("funding/programmes/<slug:slug>/", placeholder, name="programme-detail"),
    path("funding/projects/<int:pk>/", placeholder, name="project-detail"),
]
