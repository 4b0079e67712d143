"""Fixtures of the API tests."""

import pytest


@pytest.fixture
def schema(api):
    """The OpenAPI schema the app serves, as JSON."""
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()
