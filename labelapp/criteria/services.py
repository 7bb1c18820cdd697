"""Criteria versions: what exists, publication (pinning the content hash), retirement, and rounds."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from labelapp.core import audit
from labelapp.core.errors import DomainError
from labelapp.criteria.loader import CriteriaFileError, discover, read
from labelapp.criteria.models import CriteriaVersion, Round, RoundStatus, VersionStatus
from labelapp.criteria.schema import CriteriaFile
from labelapp.extensions import db


class CriteriaIntegrityError(RuntimeError):
    """A published version's file no longer has the content that was published. Refused everywhere."""

    def __init__(self, version: CriteriaVersion, path: Path, actual_hash: str):
        self.version, self.path, self.actual_hash = version, path, actual_hash
        super().__init__(
            f"{path} differs from the published criteria version {version.framework} {version.version} "
            f"(published sha256 {version.content_hash[:12]}…, file now {actual_hash[:12]}…). A published version "
            "never changes: restore the file, or save the change under a new version number and publish that."
        )


class CriteriaError(DomainError):
    pass


def criteria_dir() -> Path:
    return Path(current_app.config["CRITERIA_DIR"])


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(criteria_dir().resolve()))
    except ValueError:
        return str(path)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class VersionInfo:
    framework: str
    version: str
    path: Path | None
    status: VersionStatus
    stored: CriteriaVersion | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    modified: bool = False
    title: dict[str, str] = field(default_factory=dict)
    criteria_count: int = 0


def published(framework: str, version: str) -> CriteriaVersion | None:
    return db.session.scalar(
        select(CriteriaVersion).where(CriteriaVersion.framework == framework, CriteriaVersion.version == version)
    )


def integrity_problem(path: Path, sha256: str, framework: str, version: str) -> str | None:
    """If this file is a published version's and its content differs, the message saying so."""
    stored = published(framework, version)
    if stored is not None and stored.content_hash != sha256:
        return str(CriteriaIntegrityError(stored, path, sha256))
    return None


def list_versions() -> list[VersionInfo]:
    """Every version on disk or in the database, with status, problems and whether it was modified."""
    infos: dict[tuple[str, str], VersionInfo] = {}
    for path in discover(criteria_dir()):
        framework, version = path.parent.name, path.stem
        info = VersionInfo(framework, version, path, VersionStatus.DRAFT)
        try:
            loaded = read(path)
        except CriteriaFileError as exc:
            info.problems = exc.problems
        else:
            info.title = {"et": loaded.data.title.et, "en": loaded.data.title.en}
            info.criteria_count = len(loaded.data.criteria())
            problem = integrity_problem(path, loaded.sha256, framework, version)
            if problem:
                info.modified = True
                info.problems = [("(content)", problem)]
        infos[(framework, version)] = info
    for stored in db.session.scalars(select(CriteriaVersion)):
        info = infos.setdefault((stored.framework, stored.version),
                                VersionInfo(stored.framework, stored.version, None, stored.status))
        info.status, info.stored = stored.status, stored
        info.title = info.title or {"et": stored.title_et, "en": stored.title_en}
        if info.path is not None and not info.modified and not info.problems:
            info.modified = _sha256(info.path) != stored.content_hash
    return sorted(infos.values(), key=lambda i: (i.framework, i.version))


def find_file(framework: str, version: str) -> Path:
    path = criteria_dir() / framework / f"{version}.yaml"
    if not path.is_file():
        raise CriteriaError(_("There is no criteria file %(path)s.", path=str(path)))
    return path


def publish(framework: str, version: str) -> CriteriaVersion:
    """Publish a valid file: store its content and hash so that it can never change under this version.

    Raises CriteriaFileError if the file is invalid, CriteriaError if the version is already published.
    """
    path = find_file(framework, version)
    loaded = read(path)
    if published(framework, version) is not None:
        raise CriteriaError(_("%(framework)s %(version)s is already published.", framework=framework,
                              version=version))
    actor = current_user._get_current_object() if current_user and current_user.is_authenticated else None
    stored = CriteriaVersion(
        framework=framework, version=version, status=VersionStatus.PUBLISHED, file_path=_relative(path),
        content_hash=loaded.sha256, content=loaded.data.model_dump(mode="json"),
        title_et=loaded.data.title.et, title_en=loaded.data.title.en, published_by_id=actor.id if actor else None,
    )
    db.session.add(stored)
    db.session.flush()
    audit.record("criteria.publish", "criteria_version", stored.id,
                 after={"framework": framework, "version": version, "sha256": loaded.sha256})
    return stored


def retire(stored: CriteriaVersion) -> None:
    """Stop offering a version for new rounds; assessments pinned to it keep it."""
    if stored.status != VersionStatus.PUBLISHED:
        raise CriteriaError(_("Only a published version can be retired."))
    if db.session.scalar(select(Round.id).where(Round.criteria_version_id == stored.id,
                                                Round.status == RoundStatus.OPEN)):
        raise CriteriaError(_("Close the open round that uses this version first."))
    stored.status = VersionStatus.RETIRED
    stored.retired_at = dt.datetime.now(dt.UTC)
    db.session.flush()
    audit.record("criteria.retire", "criteria_version", stored.id, before={"status": "published"},
                 after={"status": "retired"})


_parsed: dict[str, CriteriaFile] = {}


def load(stored: CriteriaVersion) -> CriteriaFile:
    """The content of a published version, refusing a file that was changed after publication."""
    path = criteria_dir() / stored.file_path
    if path.is_file():
        actual = _sha256(path)
        if actual != stored.content_hash:
            raise CriteriaIntegrityError(stored, path, actual)
    if stored.content_hash not in _parsed:
        _parsed[stored.content_hash] = CriteriaFile.model_validate(stored.content)
    return _parsed[stored.content_hash]


# --- rounds ------------------------------------------------------------------------------------------


def current_round() -> Round | None:
    return db.session.scalar(select(Round).where(Round.status == RoundStatus.OPEN).order_by(Round.id.desc()))


def open_round(stored: CriteriaVersion, title: str, closes_on: dt.date, today: dt.date | None = None) -> Round:
    """Open the round in which municipalities assess themselves under ``stored``; one round is open at a time."""
    today = today or dt.date.today()
    if stored.status != VersionStatus.PUBLISHED:
        raise CriteriaError(_("Only a published criteria version can be used for a round."))
    load(stored)  # refuses a modified file before anyone starts under it
    if current_round() is not None:
        raise CriteriaError(_("Another round is open. Close it before opening a new one."))
    if closes_on <= today:
        raise CriteriaError(_("The closing date must be in the future."))
    round_ = Round(criteria_version=stored, title=title.strip(), opens_on=today, closes_on=closes_on,
                   status=RoundStatus.OPEN)
    db.session.add(round_)
    db.session.flush()
    audit.record("round.open", "round", round_.id,
                 after={"criteria": stored.label, "title": round_.title, "closes_on": closes_on.isoformat()})
    return round_


def close_round(round_: Round) -> None:
    if round_.status != RoundStatus.OPEN:
        raise CriteriaError(_("This round is already closed."))
    round_.status = RoundStatus.CLOSED
    db.session.flush()
    audit.record("round.close", "round", round_.id, before={"status": "open"}, after={"status": "closed"})
