"""Verifiable credentials for labels, in the Open Badges 3.0 shape, signed with an Ed25519 key kept in instance/.

The proof follows the Data Integrity "eddsa-jcs-2022" idea: the document without its proof value, plus the
proof options, canonicalised as JSON with sorted keys (our documents hold no floats), signed with Ed25519.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import url_for

from labelapp.core import keys
from labelapp.labels.models import Label


def private_key() -> Ed25519PrivateKey:
    """The issuer key (the instance's signing key), created (0600) on first use."""
    return keys.signing_key()


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def canonical(document: dict) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode()  # multibase base64url


def _unb64(text: str) -> bytes:
    if not text.startswith("u"):
        raise ValueError("proofValue is not multibase base64url")
    body = text[1:]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def credential(label: Label, now: dt.datetime | None = None) -> dict:
    place = label.municipality
    issuer = url_for("registry.index", _external=True)
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": url_for("api.credential", public_id=label.public_id, _external=True),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Kaasav omavalitsus"},
        "name": f"Kaasav omavalitsus – {place.name}",
        "validFrom": f"{label.awarded_on.isoformat()}T00:00:00Z",
        "validUntil": f"{label.valid_until.isoformat()}T23:59:59Z",
        "credentialSubject": {
            "id": f"urn:{place.country.lower()}:municipality:{place.code}",
            "type": ["AchievementSubject"],
            "name": place.name,
            "achievement": {
                "id": url_for("registry.verify", public_id=label.public_id, _external=True),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": "Kaasav omavalitsus" + (f" ({label.level})" if label.level else ""),
                "criteria": {"narrative": f"Criteria {label.criteria_version.framework} "
                                          f"{label.criteria_version.version}"},
            },
        },
        "credentialStatus": {"id": url_for("api.label", public_id=label.public_id, _external=True),
                             "type": "LabelStatus", "status": label.state.value,
                             "statusReason": label.state_reason or None},
    }
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "proofPurpose": "assertionMethod",
             "verificationMethod": url_for("api.issuer_key", _external=True),
             "created": (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    signature = private_key().sign(canonical({**document, "proof": proof}))
    return {**document, "proof": {**proof, "proofValue": _b64(signature)}}


def verify(document: dict, key: Ed25519PublicKey) -> tuple[bool, str]:
    """(valid signature?, why not or the status) — offline, with the issuer's public key."""
    try:
        proof = dict(document["proof"])
        signature = _unb64(proof.pop("proofValue"))
        body = {k: v for k, v in document.items() if k != "proof"}
        key.verify(signature, canonical({**body, "proof": proof}))
    except InvalidSignature:
        return False, "the signature does not match the content (the document was changed or not issued here)"
    except (KeyError, TypeError, ValueError) as exc:
        return False, f"not a signed label credential ({exc})"
    return True, document.get("credentialStatus", {}).get("status", "unknown")


def public_key_pem() -> str:
    return public_key().public_bytes(serialization.Encoding.PEM,
                                     serialization.PublicFormat.SubjectPublicKeyInfo).decode()
