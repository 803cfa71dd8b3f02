"""The REST API (v1) for the core records; the router lives in `dialogues_portal.api_urls`."""
