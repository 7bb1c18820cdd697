"""Anchors of the audit log outside the database: signed statements of its newest row, one JSON line each.

Someone who can write the database (and even read the chain key) cannot change what an anchor already says:
it is signed with the instance's Ed25519 key, and copies of the file are kept elsewhere. ``check`` compares
every anchor with the rows that are there now.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from pathlib import Path

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from labelapp.core import keys
from labelapp.core.audit import ChainProblem
from labelapp.core.models import AuditEntry
from labelapp.core.types import utcnow
from labelapp.extensions import db

SIGNED = ("id", "entry_hash", "count", "anchored_at")


def anchors_path() -> Path:
    configured = current_app.config.get("AUDIT_ANCHORS_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "audit-anchors.jsonl"


def _signed_bytes(statement: dict) -> bytes:
    return json.dumps({name: statement[name] for name in SIGNED}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def anchor() -> dict | None:
    """Sign the newest audit row's id and hash, and how many rows there are up to it, and append the statement
    to the anchors file. Returns the statement, or None when the log is empty."""
    newest = db.session.execute(
        select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    if newest is None:
        return None
    count = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= newest.id))
    statement = {"id": newest.id, "entry_hash": newest.entry_hash, "count": count,
                 "anchored_at": utcnow().isoformat(timespec="seconds")}
    statement["signature"] = base64.b64encode(keys.signing_key().sign(_signed_bytes(statement))).decode()
    path = anchors_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(statement, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return statement


def _read(line: str) -> dict:
    statement = json.loads(line)
    if not isinstance(statement, dict) or not isinstance(statement.get("id"), int) or \
            not isinstance(statement.get("count"), int) or \
            not all(isinstance(statement.get(name), str) for name in ("entry_hash", "anchored_at", "signature")):
        raise ValueError("fields missing or of the wrong type")
    return statement


def _verify_with_any(public_keys, signature: bytes, signed: bytes) -> None:
    """Raise InvalidSignature unless one of ``public_keys`` made ``signature``."""
    from cryptography.exceptions import InvalidSignature

    for key in public_keys:
        try:
            key.verify(signature, signed)
            return
        except InvalidSignature:
            continue
    raise InvalidSignature


def check() -> tuple[int, list[ChainProblem]]:
    """(anchors checked, problems): each anchor's signature, and that its row still has its hash and that as
    many rows lead up to it as when it was made."""
    from cryptography.exceptions import InvalidSignature

    path = anchors_path()
    if not path.exists():
        return 0, []
    # An anchor made before a key rotation was signed with a key that is now retired.
    public_keys = [keys.signing_key().public_key(), *keys.retired_public_keys()]
    checked, problems = 0, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        checked += 1
        try:
            statement = _read(line)
            _verify_with_any(public_keys, base64.b64decode(statement["signature"], validate=True),
                             _signed_bytes(statement))
        except InvalidSignature:
            problems.append(ChainProblem(None, gettext(
                "the signature does not match: the anchor was forged or changed"), line=number))
            continue
        except (ValueError, binascii.Error) as exc:
            problems.append(ChainProblem(None, gettext("not an anchor (%(error)s)", error=exc), line=number))
            continue
        when, row_id = statement["anchored_at"], statement["id"]
        stored = db.session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.id == row_id))
        if stored is None:
            problems.append(ChainProblem(row_id, gettext(
                "missing, though anchored on %(when)s: rows were cut off or removed", when=when), line=number))
        elif stored != statement["entry_hash"]:
            problems.append(ChainProblem(row_id, gettext(
                "its hash differs from the one anchored on %(when)s: this row or one before it was rewritten",
                when=when), line=number))
        else:
            count = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= row_id))
            if count != statement["count"]:
                problems.append(ChainProblem(row_id, gettext(
                    "%(now)d rows up to here, %(then)d when anchored on %(when)s: rows before it were removed "
                    "or added", now=count, then=statement["count"], when=when), line=number))
    return checked, problems
