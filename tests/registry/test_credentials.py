"""Signed label credentials: verified offline; tampering detected; revocation reported."""

import json

import pytest

from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.labels import lifecycle
from tests.support.factories import awarded_labels


@pytest.fixture
def labels(app, users):
    with app.test_request_context():
        made = awarded_labels(["0784", "0793"], find_user(users["assessor"]), find_user(users["coordinator"]))
        lifecycle.revoke(made[1], "Principles were repealed by the council.")
        db.session.commit()
        return [label.public_id for label in made]


def save(client, public_id, tmp_path, change=None):
    with client.get(f"/api/v1/labels/{public_id}/credential") as response:
        document = response.get_json()
    if change:
        change(document)
    path = tmp_path / f"{public_id}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return document, path


def test_credential_has_the_open_badges_shape_and_verifies(client, runner, labels, tmp_path):
    document, path = save(client, labels[0], tmp_path)
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["credentialSubject"]["name"] == "Tallinn"
    assert document["credentialSubject"]["achievement"]["criteria"]["narrative"].endswith("2025.1")
    assert document["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    result = runner.invoke(args=["labels", "verify-credential", str(path)])
    assert result.exit_code == 0, result.output
    assert "Signature valid. Label status when issued: valid." in result.output


def test_tampered_credential_is_rejected(client, runner, labels, tmp_path):
    _document, path = save(client, labels[0], tmp_path,
                           lambda d: d.update(validUntil="2099-12-31T23:59:59Z"))
    result = runner.invoke(args=["labels", "verify-credential", str(path)])
    assert result.exit_code == 1
    assert "INVALID" in result.output and "signature does not match" in result.output


def test_revoked_labels_credential_reports_revoked(client, runner, labels, tmp_path):
    document, path = save(client, labels[1], tmp_path)
    assert document["credentialStatus"]["status"] == "revoked"
    result = runner.invoke(args=["labels", "verify-credential", str(path)])
    assert result.exit_code == 1
    assert "status when issued: revoked" in result.output


def test_verification_with_the_published_public_key(client, runner, labels, tmp_path):
    _document, path = save(client, labels[0], tmp_path)
    key = tmp_path / "issuer.pem"
    key.write_bytes(client.get("/api/v1/issuer-key").data)
    assert runner.invoke(args=["labels", "verify-credential", str(path), "--public-key", str(key)]).exit_code == 0
