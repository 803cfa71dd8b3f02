"""Public URLs of dialogue rounds (a public contract: keep them stable)."""

from django.urls import path

from . import (
    converters,  # noqa: F401  registers <id:...>
    views,
)

urlpatterns = [
    path("dialogues/", views.DialogueRoundListView.as_view(), name="dialogueround-list"),
    path("dialogues/export.<str:fmt>", views.DialogueRoundExportView.as_view(), name="dialogueround-export"),
    path("dialogues/<id:pk>/", views.DialogueRoundDetailView.as_view(), name="dialogueround-detail"),
]
