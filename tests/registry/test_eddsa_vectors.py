"""The Data Integrity proof code against the W3C eddsa-rdfc-2022 test vectors (tests/registry/vectors)."""

import json
from pathlib import Path

import pytest

from labelapp.registry import jsonld, proofs

VECTORS = Path(__file__).parent / "vectors" / "eddsa-rdfc-2022"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


def loader(url, options=None):
    """The bundled contexts plus the VC 2.0 examples context the vectors use."""
    if url == EXAMPLES_V2:
        return {"contextUrl": None, "documentUrl": url,
                "document": {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}}
    return jsonld.document_loader(url, options)


def vector(name: str) -> str:
    return (VECTORS / name).read_text(encoding="utf-8")


@pytest.fixture
def signed():
    return json.loads(vector("signedDataInt.json"))


def test_vector_canonical_document_and_proof_options_match(signed):
    proof = signed.pop("proof")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    assert jsonld.canonize(signed, loader) == vector("canonDocDataInt.txt")
    assert jsonld.canonize({"@context": signed["@context"], **options}, loader) == vector("proofCanonDataInt.txt")


def test_vector_signature_is_reproduced_with_the_vector_key(signed):
    proof = signed.pop("proof")
    key = proofs.private_key_from_multikey(json.loads(vector("keyPair.json"))["privateKeyMultibase"])
    again = proofs.add_proof(signed, key, proof["verificationMethod"], proof["created"], loader=loader)
    assert again["proof"] == proof
    assert proof["proofValue"] == vector("sigBTC58DataInt.txt").strip()


def test_vector_verifies_and_a_changed_copy_does_not(signed):
    public = proofs.public_key_from_multikey(json.loads(vector("keyPair.json"))["publicKeyMultibase"])
    assert proofs.verify_proof(signed, lambda _id: public, loader=loader)["name"] == "Alumni Credential"
    signed["credentialSubject"]["alumniOf"] = "Another School"
    with pytest.raises(proofs.ProofError, match="signature does not match"):
        proofs.verify_proof(signed, lambda _id: public, loader=loader)


def test_unbundled_context_is_refused_not_fetched(signed):
    with pytest.raises(proofs.ProofError, match="not bundled"):
        proofs.verify_proof(signed, lambda _id: None)
