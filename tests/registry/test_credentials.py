"""Label credentials (Open Badges 3.0) in both W3C formats, checked by an independent verifier (Digital Bazaar's
@digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite and Bitstring Status List checker, panva's jose for the
VC-JWT; tests/support/verifier) and by `flask labels verify-credential`."""

import json
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.labels import lifecycle
from labelapp.labels.models import Label
from labelapp.registry import proofs, statuslist
from tests.support.factories import awarded_labels

VERIFIER = Path(__file__).resolve().parents[1] / "support" / "verifier"
JWT = {"Accept": "application/vc+jwt"}


@pytest.fixture
def labels(app, users):
    with app.test_request_context():
        made = awarded_labels(["0784", "0793", "0714"], find_user(users["assessor"]),
                              find_user(users["coordinator"]))
        lifecycle.revoke(made[1], "Principles were repealed by the council.")
        lifecycle.put_under_review(made[2], "The survey fell below the threshold.")
        db.session.commit()
        return {"valid": made[0].public_id, "revoked": made[1].public_id, "review": made[2].public_id}


def independent(credential, did_document, status_lists=None) -> dict:
    """The verdict of the independent verifier (a node script using well-kept libraries, not labelapp's code)."""
    answer = subprocess.run(["node", str(VERIFIER / "verify.mjs")], cwd=VERIFIER, capture_output=True, text=True,
                            check=True, timeout=60,
                            input=json.dumps({"credential": credential, "didDocument": did_document,
                                              "statusLists": status_lists}))
    return json.loads(answer.stdout)


def fetch(client, public_id, headers=None):
    response = client.get(f"/api/v1/labels/{public_id}/credential", headers=headers or {})
    assert response.status_code == 200
    return response


def status_lists(client) -> dict:
    found = {}
    for purpose in ("revocation", "suspension"):
        document = client.get(f"/api/v1/status-lists/{purpose}").get_json()
        found[document["id"]] = document
    return found


def test_credential_is_an_open_badge_with_a_did_web_issuer(client, labels):
    response = fetch(client, labels["valid"])
    assert response.mimetype == "application/vc+ld+json"
    document = response.get_json()
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["id"] == "did:web:127.0.0.1%3A5000"
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["description"].startswith("Tallinn organises")
    assert achievement["image"]["type"] == "Image"
    assert achievement["criteria"]["id"].endswith(f"/verify/{labels['valid']}")
    assert [entry["type"] for entry in document["credentialStatus"]] == ["BitstringStatusListEntry"] * 2
    assert (document["proof"]["type"], document["proof"]["cryptosuite"]) == ("DataIntegrityProof", "eddsa-rdfc-2022")
    assert document["proof"]["proofValue"].startswith("z")


def test_did_document_lists_the_key_as_multikey_and_jwk(client, labels):
    did = client.get("/.well-known/did.json").get_json()
    assert did["id"] == "did:web:127.0.0.1%3A5000"
    assert [method["type"] for method in did["verificationMethod"]] == ["Multikey", "JsonWebKey"]
    assert did["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")
    assert did["verificationMethod"][1]["publicKeyJwk"]["crv"] == "Ed25519"
    assert did["assertionMethod"] == [method["id"] for method in did["verificationMethod"]]


def test_data_integrity_credential_verifies_independently(client, labels):
    did = client.get("/.well-known/did.json").get_json()
    verdict = independent(fetch(client, labels["valid"]).get_json(), did, status_lists(client))
    assert verdict == {"verified": True, "statusSet": [], "errors": []}


def test_vc_jwt_verifies_independently(client, labels):
    response = fetch(client, labels["valid"], JWT)
    assert response.mimetype == "application/vc+jwt"
    did = client.get("/.well-known/did.json").get_json()
    assert independent(response.get_data(as_text=True), did, status_lists(client)) == \
        {"verified": True, "statusSet": [], "errors": []}


def test_tampered_credentials_fail_independently(client, labels):
    did = client.get("/.well-known/did.json").get_json()
    document = fetch(client, labels["valid"]).get_json()
    document["validUntil"] = "2099-12-31T23:59:59Z"
    assert independent(document, did)["verified"] is False
    head, payload, signature = fetch(client, labels["valid"], JWT).get_data(as_text=True).split(".")
    other = Ed25519PrivateKey.generate()
    forged = proofs.sign_jwt({"forged": True}, other, "x").split(".")[1]
    assert independent(".".join([head, forged, signature]), did)["verified"] is False


def test_wrong_key_fails_independently(client, labels):
    did = client.get("/.well-known/did.json").get_json()
    other = Ed25519PrivateKey.generate().public_key()
    did["verificationMethod"][0]["publicKeyMultibase"] = proofs.multikey(other)
    did["verificationMethod"][1]["publicKeyJwk"] = proofs.jwk(other)
    assert independent(fetch(client, labels["valid"]).get_json(), did)["verified"] is False
    assert independent(fetch(client, labels["valid"], JWT).get_data(as_text=True), did)["verified"] is False


def test_revoked_and_suspended_labels_show_in_the_status_lists(client, labels):
    did = client.get("/.well-known/did.json").get_json()
    lists = status_lists(client)
    revoked = independent(fetch(client, labels["revoked"]).get_json(), did, lists)
    assert (revoked["verified"], revoked["statusSet"]) == (True, ["revocation"])
    review = independent(fetch(client, labels["review"], JWT).get_data(as_text=True), did, lists)
    assert (review["verified"], review["statusSet"]) == (True, ["suspension"])


def test_saved_credential_shows_a_later_revocation(app, client, labels):
    did = client.get("/.well-known/did.json").get_json()
    saved = fetch(client, labels["valid"]).get_json()
    with app.test_request_context():
        from labelapp.registry.queries import label_by_public_id

        lifecycle.revoke(label_by_public_id(labels["valid"]), "The council withdrew its principles.")
        db.session.commit()
    assert independent(saved, did, status_lists(client))["statusSet"] == ["revocation"]


def save(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def lists_args(client, tmp_path):
    args = []
    for purpose in ("revocation", "suspension"):
        args += ["--status-list", save(tmp_path, f"{purpose}.json",
                                       client.get(f"/api/v1/status-lists/{purpose}").get_data(as_text=True))]
    return args


@pytest.mark.parametrize("headers", [{}, JWT], ids=["data-integrity", "vc-jwt"])
def test_cli_verifies_both_formats_with_their_status(client, runner, labels, tmp_path, headers):
    path = save(tmp_path, "label", fetch(client, labels["valid"], headers).get_data(as_text=True))
    result = runner.invoke(args=["labels", "verify-credential", path, *lists_args(client, tmp_path)])
    assert (result.exit_code, result.output) == (0, "Signature valid.\nStatus: valid (not revoked, not suspended).\n")


def test_cli_reports_revoked_on_its_date(client, runner, labels, tmp_path):
    path = save(tmp_path, "label.json", fetch(client, labels["revoked"]).get_data(as_text=True))
    changed = client.get(f"/api/v1/labels/{labels['revoked']}").get_json()
    result = runner.invoke(args=["labels", "verify-credential", path, *lists_args(client, tmp_path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("NOT VALID: revoked on 20")
    assert changed["state"] == "revoked"


def test_cli_rejects_a_tampered_credential(client, runner, labels, tmp_path):
    document = fetch(client, labels["valid"]).get_json()
    document["validUntil"] = "2099-12-31T23:59:59Z"
    result = runner.invoke(args=["labels", "verify-credential", save(tmp_path, "x.json", json.dumps(document))])
    assert result.exit_code == 1
    assert "INVALID: the signature does not match the content" in result.output


def test_cli_checks_with_a_given_did_document_or_public_key(client, runner, labels, tmp_path):
    path = save(tmp_path, "label.json", fetch(client, labels["valid"]).get_data(as_text=True))
    did = save(tmp_path, "did.json", client.get("/.well-known/did.json").get_data(as_text=True))
    key = save(tmp_path, "issuer.pem", client.get("/api/v1/issuer-key").get_data(as_text=True))
    for option in (["--did-document", did], ["--public-key", key]):
        result = runner.invoke(args=["labels", "verify-credential", path, *option, *lists_args(client, tmp_path)])
        assert result.exit_code == 0, result.output


def test_credentials_issued_before_a_key_rotation_still_verify(app, client, runner, labels):
    before_did = client.get("/.well-known/did.json").get_json()
    old_ld = fetch(client, labels["valid"]).get_json()
    old_jwt = fetch(client, labels["valid"], JWT).get_data(as_text=True)
    result = runner.invoke(args=["keys", "rotate", "--yes"])
    assert result.exit_code == 0, result.output
    assert "rotated" in result.output
    did = client.get("/.well-known/did.json").get_json()
    # The new key first, then the retired one, each as a Multikey and a JsonWebKey, all assertion methods.
    assert [m["type"] for m in did["verificationMethod"]] == ["Multikey", "JsonWebKey"] * 2
    assert did["verificationMethod"][2:] == before_did["verificationMethod"]
    assert did["assertionMethod"] == [m["id"] for m in did["verificationMethod"]]
    lists = status_lists(client)
    for saved in (old_ld, old_jwt):
        assert independent(saved, did, lists) == {"verified": True, "statusSet": [], "errors": []}
    new_ld = fetch(client, labels["valid"]).get_json()
    assert new_ld["proof"]["verificationMethod"] == did["verificationMethod"][0]["id"] != \
        old_ld["proof"]["verificationMethod"]
    assert independent(new_ld, did, lists)["verified"] is True
    new_jwt = fetch(client, labels["valid"], JWT).get_data(as_text=True)
    assert independent(new_jwt, did, lists)["verified"] is True
    # A verifier holding only the old DID document cannot accept what the new key signed.
    assert independent(new_ld, before_did)["verified"] is False
    with app.app_context():
        from sqlalchemy import select

        from labelapp.core.models import AuditEntry
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "keys.rotate")).all()
        assert len(rows) == 1 and rows[0].before["public_key"] != rows[0].after["public_key"]


def test_rotation_asks_before_it_acts(app, client, runner, labels):
    before = client.get("/.well-known/did.json").get_json()
    result = runner.invoke(args=["keys", "rotate"], input="n\n")
    assert result.exit_code == 1
    assert client.get("/.well-known/did.json").get_json() == before


def test_status_lists_are_signed_once_per_change(app, client, labels, monkeypatch):
    signed = []
    real_add_proof, real_sign_jwt = proofs.add_proof, proofs.sign_jwt
    monkeypatch.setattr(proofs, "add_proof", lambda *a, **k: signed.append("ld") or real_add_proof(*a, **k))
    monkeypatch.setattr(proofs, "sign_jwt", lambda *a, **k: signed.append("jwt") or real_sign_jwt(*a, **k))
    url = "/api/v1/status-lists/revocation"
    first = client.get(url)
    again = client.get(url)
    assert first.status_code == again.status_code == 200
    assert first.get_data() == again.get_data() and first.headers["ETag"] == again.headers["ETag"]
    assert signed == ["ld"]  # the second request was served without signing
    not_modified = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert (not_modified.status_code, not_modified.get_data()) == (304, b"")
    assert not_modified.headers["ETag"] == first.headers["ETag"]
    as_jwt = client.get(url, headers=JWT)
    assert as_jwt.headers["ETag"] != first.headers["ETag"] and as_jwt.mimetype == "application/vc+jwt"
    assert signed == ["ld", "jwt"]
    # A revocation moves the change marker: a new ETag, a new signature, and the label's bit set.
    valid = fetch(client, labels["valid"]).get_json()
    index = int(valid["credentialStatus"][0]["statusListIndex"])
    assert not statuslist.is_set(first.get_json()["credentialSubject"]["encodedList"], index)
    with app.test_request_context():
        lifecycle.revoke(Label.query.filter_by(public_id=labels["valid"]).one(), "The council repealed it.")
        db.session.commit()
    signed.clear()
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert statuslist.is_set(changed.get_json()["credentialSubject"]["encodedList"], index)
    assert signed == ["ld"]  # the list, signed again once


def test_a_status_list_made_before_a_rotation_is_signed_again_with_the_new_key(client, runner, labels):
    before = client.get("/api/v1/status-lists/suspension")
    runner.invoke(args=["keys", "rotate", "--yes"])
    after = client.get("/api/v1/status-lists/suspension", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.get_json()["proof"]["verificationMethod"] != before.get_json()["proof"]["verificationMethod"]


def test_badge_download_carries_the_credential_baked_in(client, labels):
    import xml.etree.ElementTree as ET

    response = client.get(f"/verify/{labels['valid']}/badge.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"] == f"attachment; filename=label-{labels['valid']}.svg"
    root = ET.fromstring(response.get_data())  # noqa: S314  (our own badge, in a test)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    [element] = root.findall("{https://purl.imsglobal.org/ob/v3p0}credential")
    baked = json.loads(element.text)
    assert baked["id"] == fetch(client, labels["valid"]).get_json()["id"]
    did = client.get("/.well-known/did.json").get_json()
    assert independent(baked, did, status_lists(client)) == {"verified": True, "statusSet": [], "errors": []}
    baked["credentialSubject"]["achievement"]["name"] = "Something else"
    assert independent(baked, did)["verified"] is False
    assert client.get("/verify/nonexistent/badge.svg").status_code == 404
    verify_page = client.get(f"/verify/{labels['valid']}").get_data(as_text=True)
    assert f"/verify/{labels['valid']}/badge.svg" in verify_page
