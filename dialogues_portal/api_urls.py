"""The REST API, version 1."""

urlpatterns = []
