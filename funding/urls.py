"""Public URLs of EU funding (a public contract: keep them stable)."""

from django.urls import path

from dialogues import converters  # noqa: F401  registers <id:...>

from . import views

urlpatterns = [
    path("funding/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("funding/programmes/export.<str:fmt>", views.ProgrammeExportView.as_view(), name="programme-export"),
    path("funding/programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path("funding/projects/", views.ProjectListView.as_view(), name="project-list"),
    path("funding/projects/export.<str:fmt>", views.ProjectExportView.as_view(), name="project-export"),
    path("funding/projects/<id:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
]
