"""Public URLs of seminars (a public contract: keep them stable)."""

from django.urls import path

from dialogues import converters  # noqa: F401  registers <id:...>

from . import views

urlpatterns = [
    path("seminars/", views.SeminarListView.as_view(), name="seminar-list"),
    path("seminars/export.<str:fmt>", views.SeminarExportView.as_view(), name="seminar-export"),
    path("seminars/<id:pk>/", views.SeminarDetailView.as_view(), name="seminar-detail"),
]
