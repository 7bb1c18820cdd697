"""Files follow their rows: moved into place when the transaction commits, removed when it rolls back; what a
crash leaves behind is removed by `flask maintenance sweep` once it is a day old."""

import io
import os
import time
from pathlib import Path

from labelapp.core import uploads
from labelapp.extensions import db
from tests.support.evidence import PDF, stored_files, upload


def files(app, folder: str) -> list[str]:
    path = Path(app.instance_path, "uploads", folder)
    return sorted(os.listdir(path)) if path.is_dir() else []


def test_an_upload_stays_a_part_file_until_commit_and_goes_on_rollback(app):
    with app.test_request_context():
        kept = uploads.store(io.BytesIO(PDF), "evidence", 1024, {"pdf"})
        assert files(app, "evidence") == [f"{kept.stored_name}.part"]
        db.session.commit()
        assert files(app, "evidence") == [kept.stored_name]
        dropped = uploads.store(io.BytesIO(PDF), "evidence", 1024, {"pdf"})
        assert files(app, "evidence") == sorted([kept.stored_name, f"{dropped.stored_name}.part"])
        db.session.rollback()
        assert files(app, "evidence") == [kept.stored_name]


def make_old(path: Path, now: float, days: float = 2) -> None:
    os.utime(path, (now - days * 86400, now - days * 86400))


def test_sweep_removes_only_old_orphans(app, client, runner, evidence_url):
    assert upload(client, evidence_url, PDF, "otsus.pdf").status_code == 302
    [in_use] = stored_files(app)
    root, now = Path(app.instance_path, "uploads"), time.time()
    (root / "survey-staging").mkdir(exist_ok=True)
    (root / "other").mkdir(exist_ok=True)
    old = {"evidence/" + in_use, "evidence/ab12.part", "evidence/" + "c" * 32, "survey-staging/d1",
           "survey-staging/d1.json", "other/x.part", "other/kept.txt"}
    new = {"evidence/" + "e" * 32, "evidence/ff.part", "survey-staging/d2"}
    for name in old | new:
        (root / name).write_bytes((root / name).read_bytes() if (root / name).exists() else b"x")
        if name in old:
            make_old(root / name, now)
    result = runner.invoke(args=["maintenance", "sweep"])
    assert result.exit_code == 0, result.output
    removed = {"evidence/ab12.part", "evidence/" + "c" * 32, "survey-staging/d1", "survey-staging/d1.json",
               "other/x.part"}
    assert result.output.splitlines() == [f"removed {name}" for name in sorted(removed)] + [
        "Removed 5 orphan files."]
    remaining = {f"{d.name}/{f.name}" for d in root.iterdir() for f in d.iterdir()}
    assert remaining == (old | new) - removed
