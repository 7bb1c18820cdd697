"""JSON-LD processing for credentials with pyld, from contexts bundled in the package (labelapp/data/contexts).

The document loader serves only those contexts and refuses every other URL, so canonicalisation never reaches
the network and a credential naming an unknown context fails instead of being read with whatever a server
answers.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

CONTEXT_DIR = Path(__file__).resolve().parent.parent / "data" / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
CONTEXT_FILES = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
}


@cache
def _context(url: str) -> dict:
    return json.loads((CONTEXT_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8"))


def document_loader(url: str, _options: dict | None = None) -> dict:
    """pyld's loader: a bundled context, or a JsonLdError for any other URL (never a network request)."""
    if url not in CONTEXT_FILES:
        from pyld import jsonld

        raise jsonld.JsonLdError(f"Context {url} is not bundled with labelapp; it is not fetched.",
                                 "jsonld.LoadDocumentError", {"url": url}, code="loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": _context(url)}


def canonize(document: dict, loader=document_loader) -> str:
    """The RDF Dataset Canonicalization (RDFC-1.0, published as URDNA2015) of ``document`` as N-Quads."""
    from pyld import jsonld  # imported here: most commands and pages never canonicalise

    return jsonld.normalize(document, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                       "documentLoader": loader})
