"""The two securing mechanisms the W3C names for a credential, over Ed25519 keys:

* an embedded Data Integrity proof with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa): the document and
  the proof options are canonicalised with RDFC-1.0 (pyld), each hashed with SHA-256, the two hashes (options
  first) signed, and the signature written as multibase base58btc;
* a VC-JWT (W3C VC-JOSE-COSE): the credential itself as the payload of a compact JWS, ``alg`` EdDSA, signed by
  PyJWT.

The steps are the specification's own, in the order it gives them; the tests check them against the W3C test
vectors and against an independent verifier.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import base58

from labelapp.registry import jsonld

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

CRYPTOSUITE = "eddsa-rdfc-2022"
JWT_MEDIA_TYPE = "vc+jwt"
ED25519_PUB = b"\xed\x01"  # multicodec prefix of an Ed25519 public key
ED25519_PRIV = b"\x80\x26"  # and of an Ed25519 private key (the W3C test vectors give theirs so)


class ProofError(ValueError):
    """The document is not signed as claimed: the reason says why, in words for a verifier's report."""


# Multikey (W3C Controlled Identifiers): multibase base58btc of the multicodec-prefixed raw key.
def multikey(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB + raw).decode()


def _multibase_bytes(value: str, prefix: bytes) -> bytes:
    if not value.startswith("z"):
        raise ProofError("the key is not multibase base58btc")
    decoded = base58.b58decode(value[1:])
    if not decoded.startswith(prefix) or len(decoded) != len(prefix) + 32:
        raise ProofError("the key is not an Ed25519 Multikey")
    return decoded[len(prefix):]


def public_key_from_multikey(value: str) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(_multibase_bytes(value, ED25519_PUB))


def private_key_from_multikey(value: str) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(_multibase_bytes(value, ED25519_PRIV))


def jwk(key: Ed25519PublicKey) -> dict:
    """The public key as a JSON Web Key (OKP, Ed25519)."""
    import jwt  # PyJWT and pyld are imported where they are used: most commands and pages sign nothing

    return jwt.algorithms.OKPAlgorithm.to_jwk(key, as_dict=True)


def public_key_from_jwk(value: dict) -> Ed25519PublicKey:
    import jwt
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = jwt.algorithms.OKPAlgorithm.from_jwk(value)
    except jwt.PyJWTError as exc:
        raise ProofError(f"the key is not a JSON Web Key ({exc})") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ProofError("the key is not an Ed25519 public key")
    return key


# Data Integrity, eddsa-rdfc-2022
def _hash_data(document: dict, options: dict, loader: Callable) -> bytes:
    from pyld.jsonld import JsonLdError

    try:
        document_hash = hashlib.sha256(jsonld.canonize(document, loader).encode()).digest()
        options_hash = hashlib.sha256(jsonld.canonize(options, loader).encode()).digest()
    except JsonLdError as exc:
        root = exc  # pyld chains its errors; the first one says what was wrong
        while isinstance(root.__cause__ or root.__context__, JsonLdError):
            root = root.__cause__ or root.__context__
        raise ProofError(f"the document cannot be read as JSON-LD: {root.args[0] if root.args else root}") from exc
    return options_hash + document_hash


def add_proof(document: dict, key: Ed25519PrivateKey, verification_method: str, created: str,
              loader: Callable = jsonld.document_loader) -> dict:
    """``document`` with a DataIntegrityProof (eddsa-rdfc-2022, proof purpose assertionMethod) added."""
    options = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "created": created,
               "verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    signature = key.sign(_hash_data(document, {"@context": document["@context"], **options}, loader))
    return {**document, "proof": {**options, "proofValue": "z" + base58.b58encode(signature).decode()}}


def verify_proof(document: dict, resolve: Callable[[str], Ed25519PublicKey],
                 loader: Callable = jsonld.document_loader) -> dict:
    """Check the document's eddsa-rdfc-2022 proof; return the document without it. ``resolve`` maps the proof's
    verification method to a public key (raising ProofError for one it does not know). Raises ProofError."""
    from cryptography.exceptions import InvalidSignature

    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("type") != "DataIntegrityProof" \
            or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"the document has no DataIntegrityProof with the {CRYPTOSUITE} cryptosuite")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof's purpose is not assertionMethod")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("the proof value is not multibase base58btc")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    try:
        signature = base58.b58decode(value[1:])
    except ValueError as exc:
        raise ProofError("the proof value is not base58btc") from exc
    data = _hash_data(unsecured, {"@context": document.get("@context"), **options}, loader)
    key = resolve(str(proof.get("verificationMethod")))
    try:
        key.verify(signature, data)
    except InvalidSignature as exc:
        raise ProofError("the signature does not match the content "
                         "(the document was changed or signed with another key)") from exc
    return unsecured


# VC-JWT (VC-JOSE-COSE)
def sign_jwt(document: dict, key: Ed25519PrivateKey, kid: str) -> str:
    import jwt

    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    return jwt.api_jws.encode(payload, key, algorithm="EdDSA", headers={"typ": JWT_MEDIA_TYPE, "cty": "vc",
                                                                         "kid": kid})


def verify_jwt(token: str, resolve: Callable[[str], Ed25519PublicKey]) -> dict:
    """The credential a VC-JWT carries, after checking its signature with the key ``resolve`` gives for its
    ``kid``. Raises ProofError."""
    import jwt

    try:
        header = jwt.get_unverified_header(token)
        key = resolve(str(header.get("kid")))
        payload = jwt.api_jws.decode(token, key, algorithms=["EdDSA"])
        document = json.loads(payload)
    except jwt.InvalidSignatureError as exc:
        raise ProofError("the signature does not match the content "
                         "(the token was changed or signed with another key)") from exc
    except (jwt.PyJWTError, ValueError) as exc:
        raise ProofError(f"not a VC-JWT ({exc})") from exc
    if header.get("typ") != JWT_MEDIA_TYPE or not isinstance(document, dict):
        raise ProofError("not a VC-JWT (typ is not vc+jwt)")
    return document
