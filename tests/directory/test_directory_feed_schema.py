"""The live feed fuzzed against its OpenAPI document with Schemathesis: every answer matches the document."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from directory.live_routes import openapi_document

schema = schemathesis.openapi.from_dict(openapi_document())


def test_the_served_document_is_the_packaged_one(client, loaded):
    answer = client.get("/directory/openapi.json")
    assert answer.status_code == 200 and answer.get_json() == openapi_document()


@pytest.fixture
def feed_app(loaded, kiosk):
    """The app with the directory loaded and people waiting in Taraz, so the feed has counts to show."""
    kiosk.take("A")
    kiosk.take("C")
    return loaded


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_feed_answers_as_documented(case, feed_app):
    case.call_and_validate(app=feed_app)
