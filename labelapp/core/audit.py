"""The single way to write the audit log, and the check of its hash chain."""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import has_request_context, request
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from labelapp.core.keys import chain_key
from labelapp.core.models import CHAIN_KEYED, CHAIN_UNKEYED, AuditEntry
from labelapp.core.types import utcnow
from labelapp.extensions import db

# Key of the PostgreSQL advisory lock that orders audit rows of concurrent transactions into one chain.
CHAIN_LOCK_KEY = 0x6C6162656C  # "label"
_LAST_HASH = "audit_last_hash"  # session.info key: hash of the newest row written by the open transaction


# What json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str) writes, with the
# encoder made once instead of for every row.
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode
AT_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def _content(prev_hash: str, utc_at: datetime, actor_id: int | None, actor_label: str, action: str,
             object_type: str, object_id: str | None, before: Any, after: Any, client: str | None) -> bytes:
    """The hashed form of a row, its time already in UTC (what verify_chain reads is stored so)."""
    return _ENCODE([prev_hash, utc_at.strftime(AT_FORMAT), actor_id, actor_label, action, object_type, object_id,
                    before, after, client]).encode()


def _canonical(prev_hash: str, at: datetime, actor_id: int | None, actor_label: str, action: str,
               object_type: str, object_id: str | None, before: Any, after: Any, client: str | None) -> bytes:
    return _content(prev_hash, at.astimezone(UTC), actor_id, actor_label, action, object_type, object_id, before,
                    after, client)


def entry_digest(prev_hash: str, at: datetime, actor_id: int | None, actor_label: str, action: str,
                 object_type: str, object_id: str | None, before: Any, after: Any, client: str | None) -> str:
    """Plain SHA-256 of a row's content and the previous row's hash: rows written before migration 0012
    (``CHAIN_UNKEYED``). Changing this breaks every stored chain."""
    return hashlib.sha256(_canonical(prev_hash, at, actor_id, actor_label, action, object_type, object_id,
                                     before, after, client)).hexdigest()


def canonical_content(prev_hash: str, entry: AuditEntry) -> bytes:
    """What a row's hash covers: its content and the previous row's hash."""
    return _canonical(prev_hash, entry.at, entry.actor_id, entry.actor_label, entry.action, entry.object_type,
                      entry.object_id, entry.before, entry.after, entry.client)


def keyed_digest(key: bytes, prev_hash: str, entry: AuditEntry) -> str:
    """HMAC-SHA256 of a row's content with the chain key, which is kept outside the database."""
    return hmac.digest(key, canonical_content(prev_hash, entry), "sha256").hex()


def digest_of(entry: AuditEntry, prev_hash: str, key: bytes | None = None) -> str:
    """The hash ``entry`` should carry after ``prev_hash``, by its chain version (key: the instance's)."""
    if entry.chain_version == CHAIN_UNKEYED:
        return hashlib.sha256(canonical_content(prev_hash, entry)).hexdigest()
    return keyed_digest(key if key is not None else chain_key(), prev_hash, entry)


def _previous_hash() -> str:
    """Hash of the newest row, read under a lock that keeps other writers out until this transaction ends."""
    cached = db.session.info.get(_LAST_HASH)
    if cached is not None:
        return cached
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    # On SQLite a POST request's transaction begins IMMEDIATE (see labelapp/__init__.py) and so already holds
    # the single write lock here; elsewhere SQLite refuses a write on an outdated snapshot, so two
    # transactions can never both extend the chain from the same row.
    newest = db.session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
    return newest or ""


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_chain_head(session: Session, *_args) -> None:
    session.info.pop(_LAST_HASH, None)


def _actor() -> tuple[int | None, str]:
    if has_request_context():
        if current_user.is_authenticated:
            return current_user.id, current_user.email
        return None, "anonymous"
    return None, f"cli:{getpass.getuser()}"


def actor_label() -> str:
    """Who is acting now, as the audit log writes it."""
    return _actor()[1]


def record(
    action: str,
    object_type: str,
    object_id: Any = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    actor: Any = None,
) -> AuditEntry:
    """Add an audit row to the session (the caller commits with the change it describes).

    ``actor`` is a user when the acting person is not the logged-in one (e.g. a failed login names the
    account tried); by default the current user, ``anonymous``, or the shell user for CLI commands.
    """
    if actor is not None:
        actor_id, label = actor.id, actor.email
    else:
        actor_id, label = _actor()
    entry = AuditEntry(
        at=utcnow(),
        actor_id=actor_id,
        actor_label=label,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
        client=request.remote_addr if has_request_context() else None,
        chain_version=CHAIN_KEYED,
    )
    with db.session.no_autoflush:
        entry.prev_hash = _previous_hash()
    entry.entry_hash = digest_of(entry, entry.prev_hash)
    db.session.info[_LAST_HASH] = entry.entry_hash
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int | None  # the audit row concerned, if any
    problem: str
    line: int | None = None  # the anchors file's line, for a problem found by an anchor


@dataclass
class ChainReport:
    problems: list[ChainProblem] = field(default_factory=list)
    checked: int = 0
    newest: str = ""  # the newest row's hash: kept elsewhere, it also shows the newest rows were not cut off
    newest_id: int | None = None


# The audit row's columns as stored, read without SQLAlchemy's type processing: the rows are only hashed.
_VERIFY_SQL = ("SELECT id, at, actor_id, actor_label, action, object_type, object_id, before, after, client, "
               "prev_hash, entry_hash, chain_version FROM audit_entry ORDER BY id")


def verify_chain(batch: int = 5000, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Walk the log in id order, recomputing every row's hash and link to the row before.

    Unkeyed rows (written before the chain was keyed) are accepted only before the first keyed row, and the
    newest row must be keyed: a log rewritten as if it had never been keyed does not pass. Rows are streamed by a
    plain SQL statement in batches of ``batch`` (no ORM objects, no column types: the values the driver gives, made
    canonical here exactly as ``canonical_content`` makes an entry's), and ``progress`` is called with the count
    after each batch.
    """
    report = ChainReport()
    key = chain_key()
    keyed_seen, newest_id, newest_version = False, None, None
    fromisoformat, loads, digest, sha256 = datetime.fromisoformat, json.loads, hmac.digest, hashlib.sha256
    # SQLite keeps times and JSON as text, parsed here as the column types would parse them; PostgreSQL's driver
    # gives a datetime and parsed JSON. A stored time is UTC without a zone (UTCDateTime).
    as_text = db.session.get_bind().dialect.name == "sqlite"
    result = db.session.execute(text(_VERIFY_SQL).execution_options(yield_per=batch))
    newest = ""
    for rows in result.partitions(batch):
        for (entry_id, at, actor_id, actor_label, action, object_type, object_id, before, after, client, prev_hash,
             entry_hash, version) in rows:
            if as_text:
                at = fromisoformat(at)
                # A JSON number is stored as a number (the column's NUMERIC affinity), anything else as JSON text.
                before = loads(before) if isinstance(before, str) else before
                after = loads(after) if isinstance(after, str) else after
            if prev_hash != newest:
                report.problems.append(ChainProblem(entry_id, gettext(
                    "previous-row hash does not match: a row before it was removed or changed")))
            content = _content(prev_hash, at, actor_id, actor_label, action, object_type, object_id, before, after,
                               client)
            if version == CHAIN_KEYED:
                if digest(key, content, "sha256").hex() != entry_hash:
                    report.problems.append(ChainProblem(entry_id, gettext(
                        "content does not match its hash: the row was changed")))
                keyed_seen = True
            elif version != CHAIN_UNKEYED:
                report.problems.append(ChainProblem(entry_id, gettext(
                    "unknown chain version %(version)s", version=version)))
            elif keyed_seen:
                report.problems.append(ChainProblem(entry_id, gettext(
                    "an unkeyed row after keyed rows: written behind the app")))
            elif sha256(content).hexdigest() != entry_hash:
                report.problems.append(ChainProblem(entry_id, gettext(
                    "content does not match its hash: the row was changed")))
            newest, newest_id, newest_version = entry_hash, entry_id, version
        report.checked += len(rows)
        if progress is not None:
            progress(report.checked)
    if newest_id is not None and newest_version != CHAIN_KEYED:
        report.problems.append(ChainProblem(newest_id, gettext(
            "the newest row is not keyed: the log was rewritten without the chain key")))
    report.newest, report.newest_id = newest, newest_id
    return report


def changes(obj: Any, fields: list[str]) -> dict[str, Any]:
    """A JSON-ready snapshot of ``fields`` of ``obj``, for ``before``/``after``."""
    snapshot = {}
    for name in fields:
        value = getattr(obj, name)
        snapshot[name] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
    return snapshot
