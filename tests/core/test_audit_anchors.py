"""`flask audit anchor` signs the newest row's hash into a file outside the database; `flask audit verify`
checks the rows against every anchor, so rows cut off or a chain rewritten with the key are found."""

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, text

from labelapp.core import anchors, audit, keys
from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from tests.core.test_audit_chain import rehash_from, write_rows
from tests.support.database import without_triggers


def anchor_lines(app) -> list[dict]:
    path = Path(app.instance_path) / "audit-anchors.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def anchor(runner):
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 0, result.output
    return result


def test_anchor_appends_a_signed_statement_of_the_newest_row(app, runner):
    ids = write_rows(app, 3)
    assert "Anchored audit row" in anchor(runner).output
    [statement] = anchor_lines(app)
    with app.app_context():
        newest = db.session.get(AuditEntry, ids[-1]).entry_hash
        count = db.session.scalar(select(func.count()).select_from(AuditEntry))
        signed = {name: statement[name] for name in ("id", "entry_hash", "count", "anchored_at")}
        keys.signing_key().public_key().verify(base64.b64decode(statement["signature"]), json.dumps(
            signed, sort_keys=True, separators=(",", ":")).encode())  # raises if not signed by this instance
    assert (statement["id"], statement["entry_hash"], statement["count"]) == (ids[-1], newest, count)
    write_rows(app, 1)
    anchor(runner)
    assert len(anchor_lines(app)) == 2
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "2 anchors in" in result.output


def test_anchors_file_can_be_configured(app, runner, tmp_path):
    app.config["AUDIT_ANCHORS_FILE"] = str(tmp_path / "elsewhere" / "anchors.jsonl")
    write_rows(app, 1)
    anchor(runner)
    assert len((tmp_path / "elsewhere" / "anchors.jsonl").read_text().splitlines()) == 1
    assert not (Path(app.instance_path) / "audit-anchors.jsonl").exists()


def test_verify_finds_rows_cut_off_after_an_anchor(app, runner):
    ids = write_rows(app, 5)
    anchor(runner)
    with app.app_context():
        without_triggers(f"DELETE FROM audit_entry WHERE id >= {ids[3]}")
        assert audit.verify_chain().problems == []  # what is left is a sound chain: only the anchor knows
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit row {ids[4]}: missing, though anchored on" in result.output
    assert f"first row where the chain or an anchor disagrees: audit row {ids[4]}" in result.output


def test_verify_names_the_first_row_where_a_chain_rewritten_with_the_key_and_an_anchor_disagree(app, runner):
    ids = write_rows(app, 2)
    anchor(runner)
    ids += write_rows(app, 2)
    anchor(runner)
    ids += write_rows(app, 2)
    with app.app_context():
        def forge(entry):
            if entry.id == ids[1]:
                entry.action = "forged"

        # Someone who also read the chain key: the chain verifies, the anchors kept elsewhere do not.
        rehash_from(ids[1], lambda entry, prev: audit.digest_of(entry, prev), forge)
        assert audit.verify_chain().problems == []
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"audit row {ids[1]}: its hash differs from the one anchored on")
    assert lines[1].startswith(f"audit row {ids[3]}: its hash differs")
    assert f"first row where the chain or an anchor disagrees: audit row {ids[1]}." in result.output


@pytest.mark.parametrize("forgery", ["signed with another key", "changed after signing", "not an anchor"])
def test_verify_finds_a_forged_anchor_line(app, runner, forgery):
    write_rows(app, 2)
    anchor(runner)
    [genuine] = anchor_lines(app)
    if forgery == "not an anchor":
        line = "{not json"
    elif forgery == "changed after signing":
        line = json.dumps({**genuine, "count": genuine["count"] + 1})
    else:
        forged = {**genuine, "entry_hash": "0" * 64}
        signed = json.dumps({k: forged[k] for k in ("id", "entry_hash", "count", "anchored_at")},
                            sort_keys=True, separators=(",", ":")).encode()
        line = json.dumps({**forged, "signature": base64.b64encode(Ed25519PrivateKey.generate().sign(signed))
                           .decode()})
    with (Path(app.instance_path) / "audit-anchors.jsonl").open("a") as handle:
        handle.write(line + "\n")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    expected = "not an anchor" if forgery == "not an anchor" else "the signature does not match"
    assert f"audit-anchors.jsonl line 2: {expected}" in result.output


def test_anchor_refuses_a_log_that_does_not_verify(app, runner):
    ids = write_rows(app, 3)
    with app.app_context():
        without_triggers(f"UPDATE audit_entry SET action = 'forged' WHERE id = {ids[1]}")
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 1 and "Refused" in result.output
    with app.app_context():
        assert not anchors.anchors_path().exists()
        assert db.session.scalar(text("SELECT count(*) FROM audit_entry WHERE action = 'forged'")) == 1


def test_anchors_signed_before_a_key_rotation_still_verify(app, runner):
    write_rows(app, 2)
    anchor(runner)
    rotated = runner.invoke(args=["keys", "rotate", "--yes"])
    assert rotated.exit_code == 0, rotated.output
    write_rows(app, 1)
    anchor(runner)
    with app.app_context():
        first, second = anchor_lines(app)
        current = keys.signing_key().public_key()
        [retired] = keys.retired_public_keys()
        signed = [json.dumps({n: s[n] for n in ("id", "entry_hash", "count", "anchored_at")}, sort_keys=True,
                             separators=(",", ":")).encode() for s in (first, second)]
        retired.verify(base64.b64decode(first["signature"]), signed[0])  # the old anchor: the retired key
        current.verify(base64.b64decode(second["signature"]), signed[1])  # the new one: the current key
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "2 anchors in" in result.output


def test_an_anchor_signed_by_a_key_never_ours_fails_after_rotation(app, runner):
    ids = write_rows(app, 1)
    runner.invoke(args=["keys", "rotate", "--yes"])
    with app.app_context():
        statement = {"id": ids[-1], "entry_hash": db.session.get(AuditEntry, ids[-1]).entry_hash, "count": 1,
                     "anchored_at": "2026-01-01T00:00:00Z"}
        signed = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
        statement["signature"] = base64.b64encode(Ed25519PrivateKey.generate().sign(signed)).decode()
        anchors.anchors_path().write_text(json.dumps(statement) + "\n")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "signature does not match" in result.output
