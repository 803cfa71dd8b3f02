"""The API endpoints that span the apps: statistics overall and per country."""
