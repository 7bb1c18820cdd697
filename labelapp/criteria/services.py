"""Criteria versions: what exists, publication (pinning the content hash), retirement, and rounds."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from labelapp.core import audit
from labelapp.core.errors import DomainError
from labelapp.criteria.loader import CriteriaFileError, discover, read
from labelapp.criteria.models import CriteriaVersion, Round, RoundStatus, VersionStatus
from labelapp.criteria.patterns import ID_PATTERN, VERSION_PATTERN
from labelapp.extensions import db

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile, LabelLevel


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


class FileState(enum.StrEnum):
    """How a published version's file on disk compares with the content that was published."""

    UNCHANGED = "unchanged"
    MODIFIED = "modified"  # the stored content stays in use; a change belongs in a new version
    MISSING = "missing"


@dataclass
class VersionInfo:
    framework: str
    version: str
    path: Path | None
    status: VersionStatus
    stored: CriteriaVersion | None = None
    criteria: CriteriaFile | None = None  # a published version's stored content, or a valid draft's file
    problems: list[tuple[str, str]] = field(default_factory=list)  # a draft file's
    file_state: FileState | None = None  # a published version's, when the files were compared
    title: dict[str, str] = field(default_factory=dict)
    criteria_count: int = 0


def published(framework: str, version: str) -> CriteriaVersion | None:
    return db.session.scalar(
        select(CriteriaVersion).where(CriteriaVersion.framework == framework, CriteriaVersion.version == version)
    )


def file_state(stored: CriteriaVersion, path: Path | None = None) -> FileState:
    """Whether the published version's file (or ``path``) still holds what was published. Only the command line
    and the coordinator's file check ask; nothing that shows or scores criteria reads the file."""
    path = path or criteria_dir() / stored.file_path
    try:
        return FileState.UNCHANGED if _sha256(path) == stored.content_hash else FileState.MODIFIED
    except OSError:
        return FileState.MISSING


def list_versions(*, read_drafts: bool = False, compare_files: bool = False) -> list[VersionInfo]:
    """Every version in the database or in the criteria folder. Published versions come from the database;
    a draft is listed by file name unless ``read_drafts`` (then it is parsed and validated), and a published
    version's file is compared with its stored content only if ``compare_files``."""
    infos: dict[tuple[str, str], VersionInfo] = {}
    for stored in db.session.scalars(select(CriteriaVersion)):
        criteria = load(stored)
        infos[(stored.framework, stored.version)] = VersionInfo(
            stored.framework, stored.version, None, stored.status, stored=stored, criteria=criteria,
            title={"et": stored.title_et, "en": stored.title_en}, criteria_count=len(criteria.criteria()),
            file_state=file_state(stored) if compare_files else None)
    for path in discover(criteria_dir()):
        info = infos.setdefault((path.parent.name, path.stem),
                                VersionInfo(path.parent.name, path.stem, path, VersionStatus.DRAFT))
        info.path = path
        if info.stored is None and read_drafts:
            try:
                info.criteria = read(path).data
            except CriteriaFileError as exc:
                info.problems = exc.problems
            else:
                info.title = {"et": info.criteria.title.et, "en": info.criteria.title.en}
                info.criteria_count = len(info.criteria.criteria())
    return sorted(infos.values(), key=lambda i: (i.framework, i.version))


def find_file(framework: str, version: str) -> Path:
    """The file of ``framework`` ``version`` among those listed in the criteria folder (never a path built from
    the names, which could lead out of the folder); CriteriaError if there is none."""
    listed = {(path.parent.name, path.stem): path for path in discover(criteria_dir())}
    path = listed.get((framework, version)) if re.fullmatch(ID_PATTERN, framework) and \
        re.fullmatch(VERSION_PATTERN, version) else None
    if path is None:
        raise CriteriaError(_("There is no criteria file for %(framework)s %(version)s.",
                              framework=framework[:64], version=version[:32]))
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
    """The content of a published version as it was published, from the database; the file on disk is not read
    (a file changed after publication is reported by ``file_state``, never used)."""
    if stored.content_hash not in _parsed:
        from labelapp.criteria.schema import CriteriaFile  # pydantic only once criteria are read

        _parsed[stored.content_hash] = CriteriaFile.model_validate(stored.content)
    return _parsed[stored.content_hash]


def level_names() -> dict[str, LabelLevel]:
    """Every label level id of the published and retired versions with its level (a newer version's name
    wins); read once per request. Ids stay in URLs and the API; people read ``display_name``."""
    if has_request_context() and "criteria_level_names" in g:
        return g.criteria_level_names
    names: dict[str, LabelLevel] = {}
    for version_id, content_hash in db.session.execute(
            select(CriteriaVersion.id, CriteriaVersion.content_hash).order_by(CriteriaVersion.id)).all():
        if content_hash not in _parsed:
            load(db.session.get(CriteriaVersion, version_id))
        names.update({level.id: level for level in _parsed[content_hash].award_rules.levels})
    if has_request_context():
        g.criteria_level_names = names
    return names


def level_name(level_id: str | None, language: str) -> str:
    """The name of a label level in ``language`` ("kuldtase" for ``gold``); an id no version knows is shown as
    it is, as there is nothing better to say."""
    if not level_id:
        return ""
    level = level_names().get(level_id)
    return level.display_name(language) if level else level_id


# --- rounds ------------------------------------------------------------------------------------------


def current_round() -> Round | None:
    return db.session.scalar(select(Round).where(Round.status == RoundStatus.OPEN).order_by(Round.id.desc()))


def open_round(stored: CriteriaVersion, title: str, closes_on: dt.date, today: dt.date | None = None) -> Round:
    """Open the round in which municipalities assess themselves under ``stored``; one round is open at a time."""
    today = today or dt.date.today()
    if stored.status != VersionStatus.PUBLISHED:
        raise CriteriaError(_("Only a published criteria version can be used for a round."))
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
