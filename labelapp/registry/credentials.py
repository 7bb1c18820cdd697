"""Label credentials in the Open Badges 3.0 shape (OpenBadgeCredential, W3C VC 2.0), issued by the registry's
did:web and secured either with an embedded Data Integrity proof (eddsa-rdfc-2022) or as a VC-JWT.

Each names the label's two Bitstring Status List entries, so a credential saved while the label was valid shows
a later revocation, expiry or review to any verifier that checks status.
"""

from __future__ import annotations

import datetime as dt

from flask import url_for

from labelapp.criteria import services as criteria_services
from labelapp.labels.models import Label
from labelapp.registry import issuer, jsonld, proofs, statuslist

ISSUER_NAME = "Kaasav omavalitsus"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile() -> dict:
    return {"id": issuer.did(), "type": ["Profile"], "name": ISSUER_NAME,
            "url": url_for("registry.index", _external=True)}


def status_list_url(purpose: str) -> str:
    return url_for(f"trust.status_list_{purpose}", _external=True)


def document(label: Label) -> dict:
    """The unsigned OpenBadgeCredential of ``label``."""
    place = label.municipality
    version = label.criteria_version
    # The level by its name (the credential's texts are English), never its id: "(level: gold)".
    level = f" (level: {criteria_services.level_name(label.level, 'en')})" if label.level else ""
    return {
        "@context": [jsonld.VC_V2, jsonld.OB_V3],
        "id": url_for("api.credential", public_id=label.public_id, _external=True),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(),
        "name": f"{ISSUER_NAME} – {place.name}",
        "validFrom": f"{label.awarded_on.isoformat()}T00:00:00Z",
        "validUntil": f"{label.valid_until.isoformat()}T23:59:59Z",
        "credentialSubject": {
            "id": f"urn:{place.country.lower()}:municipality:{place.code}",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": url_for("registry.verify", public_id=label.public_id, _external=True),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": ISSUER_NAME + level,
                "description": f"{place.name} organises resident and community engagement strategically, and "
                               f"its residents are satisfied with it: the inclusive municipality quality "
                               f"label{level}, valid until {label.valid_until.isoformat()}.",
                "image": {"id": url_for("registry.badge", public_id=label.public_id, _external=True),
                          "type": "Image"},
                "criteria": {"id": url_for("registry.verify", public_id=label.public_id, _external=True),
                             "narrative": f"Criteria {version.framework} {version.version}"},
            },
        },
        "credentialStatus": [statuslist.entry(status_list_url(purpose), purpose, label.status_index)
                             for purpose in statuslist.PURPOSES],
    }


def with_proof(unsigned: dict, created: dt.datetime | None = None) -> dict:
    key = issuer.private_key()
    return proofs.add_proof(unsigned, key, issuer.multikey_id(key.public_key(), issuer.did()),
                            _stamp(created or dt.datetime.now(dt.UTC)))


def as_jwt(unsigned: dict) -> str:
    key = issuer.private_key()
    return proofs.sign_jwt(unsigned, key, issuer.jwk_id(key.public_key(), issuer.did()))


def credential(label: Label) -> dict:
    """The label's credential with an embedded Data Integrity proof."""
    return with_proof(document(label))


def status_list(purpose: str, changed: dt.datetime | None) -> dict:
    """The unsigned status list credential; dated by the registry's last change, so it is the same document
    (and, Ed25519 being deterministic, the same signature) until something changes."""
    stamp = _stamp(changed or dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    return statuslist.list_document(status_list_url(purpose), purpose, issuer.did(), stamp)
