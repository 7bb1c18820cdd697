"""The issuer's identity: a did:web of the public host, its DID document, and the key that signs credentials.

The DID document lists the signing key twice, as a Multikey (for Data Integrity proofs) and as a JsonWebKey
(for VC-JWTs), both under ``assertionMethod``, and after it every key rotated out by ``flask keys rotate``
(newest first), so that a credential signed before a rotation still verifies. A verifier resolves
``did:web:<host>`` to ``https://<host>/.well-known/did.json``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from flask import current_app

from labelapp.core import keys
from labelapp.registry import proofs

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DID_V1 = "https://www.w3.org/ns/did/v1"
JWK_V1 = "https://w3id.org/security/jwk/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"


def private_key() -> Ed25519PrivateKey:
    """The issuer key (the instance's signing key), created (0600) on first use."""
    return keys.signing_key()


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization

    return public_key().public_bytes(serialization.Encoding.PEM,
                                     serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def did() -> str:
    """did:web of the host in PUBLIC_BASE_URL (a port is percent-encoded, as did:web requires)."""
    return "did:web:" + quote(urlsplit(current_app.config["PUBLIC_BASE_URL"]).netloc, safe="")


def multikey_id(key: Ed25519PublicKey, controller: str) -> str:
    return f"{controller}#{proofs.multikey(key)}"


def jwk_id(key: Ed25519PublicKey, controller: str) -> str:
    return f"{controller}#jwk-{proofs.multikey(key)}"


def published_keys() -> list[Ed25519PublicKey]:
    """The keys a verifier may meet in our credentials: the current one, then the retired ones, newest first."""
    return [public_key(), *reversed(keys.retired_public_keys())]


def did_document(public_keys: list[Ed25519PublicKey] | None = None) -> dict:
    """The DID document of ``did()`` listing ``public_keys`` (default: the current and the retired keys)."""
    controller = did()
    methods = []
    for key in public_keys or published_keys():
        methods.append({"id": multikey_id(key, controller), "type": "Multikey", "controller": controller,
                        "publicKeyMultibase": proofs.multikey(key)})
        methods.append({"id": jwk_id(key, controller), "type": "JsonWebKey", "controller": controller,
                        "publicKeyJwk": proofs.jwk(key)})
    return {"@context": [DID_V1, MULTIKEY_V1, JWK_V1], "id": controller, "verificationMethod": methods,
            "assertionMethod": [method["id"] for method in methods]}


def resolver(document: dict):
    """A function from verification method id to public key, for the assertion methods of a DID document."""
    allowed = set(document.get("assertionMethod", []))
    methods = {m.get("id"): m for m in document.get("verificationMethod", []) if isinstance(m, dict)}

    def resolve(method_id: str) -> Ed25519PublicKey:
        method = methods.get(method_id)
        if method is None or method_id not in allowed:
            raise proofs.ProofError(f"the key {method_id} is not an assertion method of {document.get('id')}")
        if method.get("type") == "Multikey":
            return proofs.public_key_from_multikey(method.get("publicKeyMultibase", ""))
        jwk = method.get("publicKeyJwk") or {}
        if method.get("type") == "JsonWebKey" and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return proofs.public_key_from_jwk(jwk)
        raise proofs.ProofError(f"the key {method_id} is not an Ed25519 key")

    return resolve


def single_key_resolver(key: Ed25519PublicKey):
    """A resolver that accepts any verification method id but checks with ``key`` (the --public-key option)."""
    return lambda _method_id: key


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
