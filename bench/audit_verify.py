"""``flask audit verify`` over 100,000 audit rows against a plain digest loop over the same rows.

The plain loop (``PLAIN``) is what someone would write to check the chain by hand, and no less: the database
driver alone (sqlite3 or psycopg), the rows in id order fetched 5,000 at a time, each row's content made canonical
exactly as the app hashes it (the JSON columns parsed, the time written with microseconds, one JSON text with
sorted keys), HMAC-SHA256 with the chain key (plain SHA-256 for unkeyed rows), and the link to the row before
compared. It uses the same fast primitives the command may use (one JSON encoder made once, ``hmac.digest``).
Both sides print the newest row's hash, and the bench fails unless they agree and both find the log intact.

Each side is a fresh interpreter from the survey bench's launcher (start-up included: that is what running the
command costs), interleaved over ``ROUNDS`` rounds; each ratio is against the plain loop of the same round, and the
median and range of the ratios are reported, for CPU time (user + system, the steadier on a shared machine) and
wall time.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROUNDS = 5
ROWS = 100_000
BATCH = 5_000

PLAIN = r"""
import datetime, hashlib, hmac, json, sys
kind, where, key_file = sys.argv[1:4]
key = bytes.fromhex(open(key_file).read().strip())
if kind == "sqlite":
    import sqlite3
    connection = sqlite3.connect(where)
    cursor = connection.cursor()
else:
    import psycopg
    connection = psycopg.connect(where)
    cursor = connection.cursor(name="audit")  # server-side: rows stream, as the command's do
cursor.execute("SELECT id, at, actor_id, actor_label, action, object_type, object_id, before, after, client, "
               "prev_hash, entry_hash, chain_version FROM audit_entry ORDER BY id")
encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode
loads, fromisoformat, sha256, digest = json.loads, datetime.datetime.fromisoformat, hashlib.sha256, hmac.digest
previous, problems, count = "", 0, 0
while rows := cursor.fetchmany(5000):
    for (id_, at, actor_id, actor_label, action, object_type, object_id, before, after, client, prev_hash,
         entry_hash, version) in rows:
        if kind == "sqlite":  # text there; psycopg gives a datetime and parsed JSON
            at = fromisoformat(at)
            before = loads(before) if isinstance(before, str) else before  # a JSON number is kept as a number
            after = loads(after) if isinstance(after, str) else after
        content = encode([prev_hash, at.strftime("%Y-%m-%dT%H:%M:%S.%f"), actor_id, actor_label, action,
                          object_type, object_id, before, after, client]).encode()
        made = digest(key, content, "sha256").hex() if version == 2 else sha256(content).hexdigest()
        if prev_hash != previous or made != entry_hash:
            problems += 1
        previous, count = entry_hash, count + 1
print(f"rows {count} problems {problems} newest {previous}")
"""

ACTIONS = [("application.status", "application"), ("assessment.save", "assessment"), ("auth.login", "user"),
           ("label.state", "label"), ("review.submit", "review"), ("survey.import", "survey_wave")]


def prepare(instance: str, url: str, rows: int = ROWS) -> str:
    """A migrated database with ``rows`` audit rows (run in its own process); the chain key file's path.

    Rows are made with the app's own digest and inserted in batches (the database's triggers check each link),
    with the kinds of values the app writes: before/after objects with text outside ASCII, numbers and nulls."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from labelapp import create_app
    from labelapp.core import audit, keys
    from labelapp.core.models import CHAIN_KEYED, AuditEntry
    from labelapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "INSTANCE_PATH": instance})
    rng = random.Random(2026)
    started = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        key, previous = keys.chain_key(), ""
        for first in range(0, rows, BATCH):
            batch = []
            for number in range(first, min(rows, first + BATCH)):
                action, object_type = ACTIONS[number % len(ACTIONS)]
                user = rng.randrange(1, 500)
                entry = AuditEntry(
                    at=started + dt.timedelta(seconds=number * 37, microseconds=rng.randrange(1_000_000)),
                    actor_id=None, actor_label=f"kasutaja{user}@vald.ee" if number % 7 else "cli:root",
                    action=action, object_type=object_type, object_id=str(rng.randrange(1, 100_000)),
                    before=None if number % 5 == 0 else {"status": "läbivaatamisel", "version": number % 9},
                    after={"status": "otsustatud", "põhjus": "Hindajate ühine seisukoht", "score": 71.25,
                           "reviewers": [user, user + 1], "note": None},
                    client=f"192.0.2.{number % 250}" if number % 3 else None, chain_version=CHAIN_KEYED)
                entry.prev_hash = previous
                entry.entry_hash = previous = audit.keyed_digest(key, previous, entry)
                batch.append({column: getattr(entry, column) for column in (
                    "at", "actor_id", "actor_label", "action", "object_type", "object_id", "before", "after",
                    "client", "prev_hash", "entry_hash", "chain_version")})
            db.session.execute(insert(AuditEntry), batch)
            db.session.commit()
        db.engine.dispose()
    return str(Path(instance) / keys.CHAIN_KEY_FILE)


def _newest(output: str) -> str:
    """The newest row's hash as either side prints it."""
    for line in output.splitlines():
        for marker in ("newest ", "Newest row's hash: ", "Uusima rea räsi: "):
            if marker in line:
                return line.split(marker, 1)[1].strip()
    raise AssertionError(f"no newest hash in:\n{output[-2000:]}")


def run(rows: int = ROWS, rounds: int = ROUNDS) -> list[dict]:
    """On SQLite and, when its binaries are on PATH, on a throwaway PostgreSQL cluster."""
    from tests.support import postgres

    cluster = postgres.PostgresCluster().start() if postgres.binaries_available() else None
    try:
        with tempfile.TemporaryDirectory(prefix="bench-audit-") as folder:
            backends = {"sqlite": f"sqlite:///{Path(folder) / 'sqlite' / 'bench.sqlite3'}"}
            if cluster is not None:
                backends["postgresql"] = cluster.create_database("bench_audit")
            return [item for backend, url in backends.items()
                    for item in measure(backend, url, Path(folder), rows, rounds)]
    finally:
        if cluster is not None:
            cluster.stop()


def measure(backend: str, url: str, folder: Path, rows: int, rounds: int) -> list[dict]:
    from bench import in_fresh_process
    from bench.survey_import import launch

    flask = str(Path(sys.executable).with_name("flask"))
    out = []
    instance = folder / backend
    instance.mkdir()
    key_file = in_fresh_process("bench.audit_verify", "prepare", str(instance), url, rows)
    where = str(instance / "bench.sqlite3") if backend == "sqlite" else \
        url.replace("postgresql+psycopg://", "postgresql://")
    env = {"LABELAPP_INSTANCE_PATH": str(instance), "SECRET_KEY": "bench",
           "DATABASE_URL": url.replace("postgresql+psycopg://", "postgresql://"),
           "PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    plain = [sys.executable, "-c", PLAIN, backend, where, key_file]
    command = [flask, "--app", "labelapp", "audit", "verify"]
    first = {"plain": launch(plain, env, output=True), "app": launch(command, env, output=True)}
    hashes = {side: _newest(result["output"]) for side, result in first.items()}
    assert f"rows {rows} problems 0 " in first["plain"]["output"], first["plain"]["output"][-2000:]
    assert hashes["plain"] == hashes["app"], hashes  # the same digests on both sides
    measured: dict[str, list[dict]] = {"app": [], "plain": []}
    for _ in range(rounds):
        measured["plain"].append(launch(plain, env))
        measured["app"].append(launch(command, env))
    for key, name, limit in (("cpu", "CPU time, user + system (s)", 1.5),
                             ("seconds", "wall time (s)", None)):
        ratios = [ours[key] / bare[key] for ours, bare in zip(measured["app"], measured["plain"],
                                                              strict=True)]
        out.append({"figure": f"[{backend}] flask audit verify, {rows:,} rows, end to end: {name}, "
                              f"median of {rounds}",
                    "value": round(statistics.median(r[key] for r in measured["app"]), 3),
                    "baseline": round(statistics.median(r[key] for r in measured["plain"]), 3),
                    "ratio": round(statistics.median(ratios), 2),
                    "range": f"{min(ratios):.2f}–{max(ratios):.2f}",
                    "target": "≤ 1.5 × the plain digest loop" if limit else "(CPU time is the steadier)",
                    "met": None if limit is None else statistics.median(ratios) <= limit})
    return out


if __name__ == "__main__":
    for item in run(int(sys.argv[1]) if sys.argv[1:] else ROWS, int(sys.argv[2]) if sys.argv[2:] else ROUNDS):
        print(item)
