"""Helpers the API tests share (the `api` client fixture is in conftest.py)."""

from rest_framework.test import APIClient


def as_user(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]
