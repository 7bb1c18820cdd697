"""Open data: JSON validated against the OpenAPI document, pagination links, ETags, CSV without formulas."""

import csv
import io

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec

from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.labels import lifecycle
from tests.support.factories import awarded_labels
from tests.support.queries import count_queries


@pytest.fixture
def labels(app, users):
    with app.test_request_context():
        made = awarded_labels(["0784", "0793", "0714"], find_user(users["assessor"]),
                              find_user(users["coordinator"]))
        lifecycle.revoke(made[1], "=HYPERLINK(\"http://evil.example\") was in the reasons")
        db.session.commit()
        return [label.public_id for label in made]


def validator(client, schema: str) -> OAS31Validator:
    document = client.get("/api/v1/openapi.json").get_json()
    return OAS31Validator({"$ref": f"#/components/schemas/{schema}", "components": document["components"]})


def test_openapi_document_is_valid_openapi_31(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate_spec(document)
    assert document["openapi"] == "3.1.0"


def test_real_responses_match_the_document(client, labels):
    validator(client, "LabelList").validate(client.get("/api/v1/labels?per_page=2").get_json())
    validator(client, "Label").validate(client.get(f"/api/v1/labels/{labels[0]}").get_json())
    validator(client, "Municipality").validate(client.get("/api/v1/municipalities/0784").get_json())
    validator(client, "Municipality").validate(client.get("/api/v1/municipalities/0141").get_json())


def test_list_filters_and_paginates_with_links(client, labels):
    first = client.get("/api/v1/labels?per_page=2&sort=name").get_json()
    assert first["total"] == 3 and len(first["items"]) == 2 and "next" in first["links"]
    second = client.get(first["links"]["next"].split("localhost", 1)[-1]).get_json()
    assert [i["municipality"]["name"] for i in first["items"] + second["items"]] == \
        ["Saaremaa vald", "Tallinn", "Tartu linn"]
    revoked = client.get("/api/v1/labels?state=revoked").get_json()
    assert [i["municipality"]["code"] for i in revoked["items"]] == ["0793"]
    assert client.get("/api/v1/labels/unknown").status_code == 404


def test_unchanged_data_is_not_sent_again(client, labels):
    response = client.get("/api/v1/labels")
    again = client.get("/api/v1/labels", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = client.get("/api/v1/labels", headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert since.status_code == 304


def test_csv_neutralises_formulas(client, labels):
    with client.get("/api/v1/labels.csv") as response:
        assert response.headers["Content-Disposition"].startswith("attachment")
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    tartu = next(r for r in rows if r["ehak_code"] == "0793")
    assert tartu["state_reason"].startswith("'=HYPERLINK")
    assert {r["ehak_code"] for r in rows} == {"0784", "0793", "0714"}


def test_json_list_query_count_is_constant(app, client, users, labels):
    with count_queries(app) as few:
        client.get("/api/v1/labels")
    with app.test_request_context():
        awarded_labels(["0141", "0198", "0245", "0296"], find_user(users["assessor"]),
                       find_user(users["coordinator"]))
    with count_queries(app) as many:
        assert client.get("/api/v1/labels").get_json()["total"] == 7
    assert len(many) == len(few)
