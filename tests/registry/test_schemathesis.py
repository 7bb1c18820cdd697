"""schemathesis, a fuzzer nobody here wrote, runs every check against the app's own OpenAPI document.

Positive cases (values the document allows) and negative ones (values it forbids) for every operation, a bounded
number of each; every response must have a documented status, content type, headers and schema, invalid input
must be refused with a 4xx, valid input accepted, and a method the document does not list must be a 405.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from labelapp.auth.services import find_user
from labelapp.extensions import db
from tests.support.factories import awarded_labels

EXAMPLES = 60


@pytest.fixture
def schema(app, users):
    with app.test_request_context():
        awarded_labels(["0784", "0793"], find_user(users["assessor"]), find_user(users["coordinator"]))
        db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_passes_every_schemathesis_check(schema, mode):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} >= {
        "/api/v1/labels", "/api/v1/labels/{public_id}", "/api/v1/municipalities/{code}", "/api/v1/labels.csv",
        "/api/v1/labels/{public_id}/credential", "/api/v1/issuer-key", "/badge/{public_id}.svg",
        "/registry/feed.atom", "/api/v1/programme/results", "/api/v1/programme/results.csv", "/api/v1/examples",
        "/library/feed.atom"}
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not operation.definition.raw.get("parameters"):
            continue  # nothing to get wrong
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            case.call_and_validate(checks=list(schemathesis.checks.CHECKS.get_all()))

        check()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_every_documented_path_refuses_other_methods_with_allow(client, method):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in document["paths"]:
        response = client.open(path.replace("{public_id}", "x3Jq0cW8bU4m1aZt").replace("{code}", "0784"),
                               method=method)
        assert (path, response.status_code) == (path, 405)
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
        if path.startswith("/api/"):
            assert response.mimetype == "application/problem+json"
