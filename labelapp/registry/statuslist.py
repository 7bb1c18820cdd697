"""W3C Bitstring Status List v1.0: one bit per label in each of two lists, published as signed credentials.

The revocation list has a label's bit set once it is revoked or has expired (both final); the suspension list
while it is under review (cleared if the review restores it). Each label's position is ``Label.status_index``.
A list is the GZIP-compressed bitstring (index 0 is the most significant bit of the first byte), at least
131,072 bits long so that one label's position says little, written as multibase base64url (``u``).
"""

from __future__ import annotations

import base64
import gzip

from sqlalchemy import select

from labelapp.extensions import db
from labelapp.labels.models import Label
from labelapp.labels.states import LabelState

PURPOSES = ("revocation", "suspension")
MIN_BITS = 131_072
SET_BY = {"revocation": (LabelState.REVOKED, LabelState.EXPIRED), "suspension": (LabelState.UNDER_REVIEW,)}


def encode(indices: list[int], length: int = MIN_BITS) -> str:
    """The encodedList of a list of ``length`` bits (rounded up to whole bytes) with ``indices`` set."""
    bits = bytearray((max([length - 1, *indices]) // 8) + 1)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def is_set(encoded: str, index: int) -> bool:
    """Whether bit ``index`` of an encodedList is set; raises ValueError for a malformed list or index."""
    bits = decode(encoded)
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"index {index} is outside the list of {len(bits) * 8} bits")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_indices(purpose: str) -> list[int]:
    return list(db.session.scalars(select(Label.status_index).where(Label.state.in_(SET_BY[purpose]))))


def entry(list_url: str, purpose: str, index: int) -> dict:
    """A credential's credentialStatus entry pointing at bit ``index`` of the list at ``list_url``."""
    return {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": list_url}


def list_document(list_url: str, purpose: str, issuer: str, valid_from: str) -> dict:
    """The unsigned BitstringStatusListCredential of ``purpose`` as the database has it now."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {"id": f"{list_url}#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                              "encodedList": encode(set_indices(purpose))},
    }
