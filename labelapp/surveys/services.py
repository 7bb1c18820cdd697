"""Survey waves: staging a file or URL, previewing, importing all-or-nothing, superseding, reading results."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from blinker import Namespace
from flask import abort, current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from labelapp.core import audit, uploads
from labelapp.core.errors import DomainError, StaleState, TooLarge
from labelapp.core.models import AuditEntry
from labelapp.core.types import utcnow
from labelapp.criteria.models import CriteriaVersion, VersionStatus
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from labelapp.surveys.models import SurveyProfile, SurveyResult, SurveyWave
from labelapp.surveys.names import MunicipalityMatcher, Place

if TYPE_CHECKING:  # pandas is imported only by a command or page that reads a survey file
    from labelapp.surveys import analysis, reader

STAGING = "survey-staging"
uploads.register_folder(STAGING, None)  # every staged file is temporary: `flask maintenance sweep` removes old ones
# Sent inside the import's transaction with the new wave; the label lifecycle listens (labels under review).
wave_imported = Namespace().signal("survey-wave-imported")


class SurveyImportError(DomainError):
    def __init__(self, message: str, report: analysis.Report | None = None):
        super().__init__(message)
        self.report = report


class SurveyFileTooLarge(SurveyImportError, TooLarge):
    pass


@dataclass
class Staged:
    token: str
    path: Path
    origin: str
    sha256: str
    size: int
    options: dict = field(default_factory=dict)  # what the coordinator chose: year, description, shape, mapping
    owned: bool = True  # a staged copy we may delete; False for a local file read in place (command line)
    parsed: reader.Parsed | None = field(default=None, repr=False)  # the file as read once (see parsed())

    @property
    def cache(self) -> Path:
        """Where the parsed table of a staged copy is kept (pickled), beside it."""
        return self.path.with_suffix(".parsed")

    @property
    def checked(self) -> Path:
        """Where the preview's check of a staged copy is kept (pickled), beside it, for the import to reuse."""
        return self.path.with_suffix(".checked")

    def save_options(self) -> None:
        self.path.with_suffix(".json").write_text(json.dumps({"origin": self.origin, "sha256": self.sha256,
                                                              "size": self.size, "options": self.options}))


def matcher() -> MunicipalityMatcher:
    rows = db.session.execute(select(Municipality.id, Municipality.code, Municipality.name)
                              .where(Municipality.country == current_app.config["DEFAULT_COUNTRY"])).all()
    return MunicipalityMatcher([Place(r.id, r.code, r.name) for r in rows])


def survey_rule() -> tuple[str, int]:
    """(indicator, minimum sample) from the newest published criteria version, else from configuration."""
    latest = db.session.scalar(select(CriteriaVersion).where(CriteriaVersion.status == VersionStatus.PUBLISHED)
                               .order_by(CriteriaVersion.published_at.desc()).limit(1))
    if latest is not None:
        rule = latest.content["award_rules"]["survey"]
        return rule["indicator"], int(rule["min_sample"])
    return current_app.config["SURVEY_INDICATOR"], current_app.config["SURVEY_MIN_SAMPLE"]


def _stage_path(token: str) -> Path:
    if not token.isalnum():
        raise SurveyImportError(_("This import is no longer available; start again."))
    return uploads.upload_dir(STAGING) / token


def _finish_staging(token: str, origin: str) -> Staged:
    path = _stage_path(token)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    staged = Staged(token, path, origin, digest.hexdigest(), path.stat().st_size)
    staged.save_options()
    parsed(staged)  # the one time the file is parsed
    return staged


def stage_upload(stream: BinaryIO, filename: str) -> Staged:
    token = secrets.token_hex(16)
    limit, size = current_app.config["SURVEY_MAX_BYTES"], 0
    try:
        with _stage_path(token).open("wb") as out:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise SurveyFileTooLarge(_("The file is larger than %(size)s.",
                                               size=uploads.human_size(limit)))
                uploads.write_chunk(out, chunk)
        return _finish_staging(token, filename or "upload")
    except BaseException:
        discard(Staged(token, _stage_path(token), "", "", 0))  # too large, disk full, anything: nothing stays
        raise


def stage_url(url: str) -> Staged:
    from labelapp.surveys import fetch  # requests is imported only when a URL is fetched

    token = secrets.token_hex(16)
    config = current_app.config
    try:
        final = fetch.download(url, _stage_path(token), max_bytes=config["SURVEY_MAX_BYTES"],
                               timeout=config["SURVEY_URL_TIMEOUT"], max_redirects=config["SURVEY_URL_MAX_REDIRECTS"],
                               allowed_hosts=config["SURVEY_URL_ALLOWED_HOSTS"],
                               deadline=config["SURVEY_URL_DEADLINE_SECONDS"],
                               min_rate=config["SURVEY_URL_MIN_BYTES_PER_SECOND"],
                               min_rate_after=config["SURVEY_URL_MIN_RATE_AFTER_SECONDS"])
    except BaseException as exc:
        _stage_path(token).unlink(missing_ok=True)  # whatever went wrong, no partial file stays behind
        if isinstance(exc, fetch.FetchError):
            raise SurveyImportError(str(exc)) from exc
        raise
    return _finish_staging(token, final)


def stage_path(path: Path, progress=None) -> Staged:
    """A local file (command line), read where it is: no copy is made and it is never deleted. ``progress`` is
    called with the bytes hashed."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            if progress:
                progress(len(chunk))
    return Staged("", path, path.name, digest.hexdigest(), path.stat().st_size, owned=False)


def parsed(staged: Staged, progress=None) -> reader.Parsed:
    """The staged file read once (reader.parse): kept on the object and, for a staged copy, pickled beside it,
    so that the preview, each reload, a new mapping and the import reuse it."""
    if staged.parsed is None:
        import pickle

        from labelapp.surveys import reader

        if staged.owned and staged.cache.exists():
            with staged.cache.open("rb") as handle:
                staged.parsed = pickle.load(handle)  # noqa: S301  (our own file, in the instance folder)
        else:
            staged.parsed = reader.parse(staged.path, progress)
            if staged.owned:
                with staged.cache.open("wb") as handle:
                    pickle.dump(staged.parsed, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return staged.parsed


def duplicate_of(staged: Staged) -> SurveyWave | None:
    """The wave already imported from the same file (same SHA-256), if any."""
    return db.session.scalar(select(SurveyWave).where(SurveyWave.sha256 == staged.sha256))


def duplicate_message(wave: SurveyWave) -> str:
    return _("This file was already imported on %(date)s as the %(year)d wave (same SHA-256).",
             date=wave.imported_at.date().isoformat(), year=wave.year)


def load_staged(token: str) -> Staged:
    path = _stage_path(token)
    meta = path.with_suffix(".json")
    if not path.exists() or not meta.exists():
        raise SurveyImportError(_("This import is no longer available; start again."))
    data = json.loads(meta.read_text())
    return Staged(token, path, data["origin"], data["sha256"], data["size"], data.get("options", {}))


def discard(staged: Staged) -> None:
    if not staged.owned:
        return
    staged.path.unlink(missing_ok=True)
    staged.path.with_suffix(".json").unlink(missing_ok=True)
    staged.cache.unlink(missing_ok=True)
    staged.checked.unlink(missing_ok=True)


CHECK_FORMAT = 1  # bump when the Report or Result classes change: an older stored check is then not reused


def preview(staged: Staged, shape: str | None = None, mapping: dict[str, str] | None = None,
            progress=None, *, reuse: bool = False) -> analysis.Report:
    """Check the staged file with ``mapping`` and ``shape``. The report of a staged copy that passed is kept beside
    it with what it depends on (the file, shape, mapping, survey rule and every municipality's id, code and
    name); with ``reuse`` (the import) a kept report checked under exactly the same is returned instead of checking
    every row again. Its texts are in the language of the page that checked it, so pages never reuse it."""
    import pickle

    indicator, min_sample = survey_rule()
    places = matcher()
    key = hashlib.sha256(json.dumps([CHECK_FORMAT, staged.sha256, shape, sorted((mapping or {}).items()),
                                     indicator, min_sample,
                                     sorted((p.id, p.code, p.name) for p in places.places)]).encode()).hexdigest()
    if reuse and staged.owned:
        try:
            with staged.checked.open("rb") as handle:
                stored_key, report = pickle.load(handle)  # noqa: S301  (our own file, in the instance folder)
        except Exception:  # noqa: BLE001  (missing, cut short or from another version: check again)
            stored_key = report = None
        if stored_key == key and report is not None and report.ok:
            return report
    from labelapp.surveys import analysis

    report = analysis.analyse(staged.path, staged.origin, places, shape=shape, mapping=mapping,
                              indicator=indicator, min_sample=min_sample, progress=progress, parsed=parsed(staged))
    if staged.owned and report.ok and not reuse:
        part = staged.path.with_name(f"{staged.path.name}.{secrets.token_hex(4)}.part")
        with part.open("wb") as handle:
            pickle.dump((key, report), handle, protocol=pickle.HIGHEST_PROTOCOL)
        part.replace(staged.checked)  # whole or not at all, also when two pages check at once
    return report


def current_wave(year: int) -> SurveyWave | None:
    return db.session.scalar(select(SurveyWave).where(SurveyWave.year == year, SurveyWave.superseded_by_id.is_(None)))


def import_wave(staged: Staged, year: int, source: str, *, shape: str | None = None,
                mapping: dict[str, str] | None = None, supersede: bool = False,
                progress=None) -> tuple[SurveyWave, analysis.Report]:
    """Check the whole file and store the wave with its results (returned with the check's report, for its
    warnings), or raise SurveyImportError and write nothing.

    A file already imported (same SHA-256) is refused. A year that already has a wave needs ``supersede``;
    the old wave stays in the history, marked as superseded by the new one.
    """
    duplicate = duplicate_of(staged)
    if duplicate is not None:
        raise SurveyImportError(duplicate_message(duplicate))
    previous = current_wave(year)
    if previous is not None and not supersede:
        raise SurveyImportError(_("The %(year)d wave already exists. To replace it with a corrected file, choose "
                                  "to supersede it; the old data stays in the history.", year=year))
    report = preview(staged, shape, mapping, progress, reuse=True)
    if not report.ok:
        message = ngettext("The file has %(num)d error; nothing was imported.",
                           "The file has %(num)d errors; nothing was imported.", report.error_count)
        raise SurveyImportError(message, report)
    actor = current_user._get_current_object() if current_user and current_user.is_authenticated else None
    _indicator, min_sample = survey_rule()
    wave = SurveyWave(year=year, source=source.strip(), shape=report.shape, origin=staged.origin[:2000],
                      sha256=staged.sha256, size=staged.size, rows=report.rows, accounting=report.accounting,
                      min_sample=min_sample,
                      imported_by_id=actor.id if actor else None,
                      imported_by_label=actor.email if actor else audit.actor_label())
    db.session.add(wave)
    db.session.flush()
    db.session.execute(SurveyResult.__table__.insert(), [
        {"wave_id": wave.id, "municipality_id": r.municipality_id, "indicator": r.indicator, "value": r.value,
         "n": r.n, "n_effective": r.n_effective, "ci_low": r.ci_low, "ci_high": r.ci_high, "flag": r.flag,
         "subgroups": r.subgroups} for r in report.results])
    if previous is not None:
        previous.superseded_by_id = wave.id
    db.session.flush()
    audit.record("survey.import", "survey_wave", wave.id, before={"superseded": previous.id} if previous else None,
                 after={"year": year, "origin": wave.origin, "sha256": wave.sha256, "size": wave.size,
                        "rows": wave.rows, "accounting": wave.accounting, "shape": wave.shape,
                        "municipalities": len(report.results)})
    wave_imported.send(current_app._get_current_object(), wave=wave)
    return wave, report


def results_of(wave: SurveyWave) -> list[SurveyResult]:
    return db.session.scalars(select(SurveyResult).where(SurveyResult.wave_id == wave.id)
                              .options(db.joinedload(SurveyResult.municipality))
                              .join(Municipality).order_by(Municipality.code, SurveyResult.indicator)).all()


def history(municipality: Municipality) -> list[SurveyResult]:
    return db.session.scalars(select(SurveyResult).where(SurveyResult.municipality_id == municipality.id)
                              .options(db.joinedload(SurveyResult.wave)).join(SurveyWave)
                              .order_by(SurveyWave.year.desc(), SurveyWave.id.desc())).all()


def latest_result(municipality_id: int, indicator: str | None = None) -> SurveyResult | None:
    """The municipality's indicator from the newest current wave."""
    indicator = indicator or survey_rule()[0]
    return db.session.scalar(select(SurveyResult).join(SurveyWave)
                             .where(SurveyResult.municipality_id == municipality_id,
                                    SurveyResult.indicator == indicator, SurveyWave.superseded_by_id.is_(None))
                             .options(db.joinedload(SurveyResult.wave))
                             .order_by(SurveyWave.year.desc()).limit(1))


def staged_imports() -> list[Staged]:
    """Imports staged (uploaded or fetched) but neither imported nor discarded, newest first (files, no query)."""
    folder = uploads.upload_dir(STAGING)
    found = []
    for options in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            data = json.loads(options.read_text())
        except (OSError, ValueError):
            continue
        found.append(Staged(options.stem, options.with_suffix(""), data.get("origin", ""), data.get("sha256", ""),
                            data.get("size", 0), data.get("options", {})))
    return found


# Mapping profiles: a confirmed mapping kept under a name, applied to a later file with the same headers.

def file_headers(staged: Staged) -> list[str]:
    """The staged file's non-empty headers, in order ([] when it cannot be read)."""
    layout = parsed(staged).layout
    return [h for h in layout.headers if h] if layout else []


def headers_key(headers: list[str]) -> str:
    return hashlib.sha256("\x1f".join(headers).encode()).hexdigest()


def profile_for(headers: list[str]) -> SurveyProfile | None:
    """The newest profile saved for exactly these headers."""
    if not headers:
        return None
    key = headers_key(headers)
    return db.session.scalar(select(SurveyProfile).where(SurveyProfile.headers_key == key)
                             .order_by(SurveyProfile.saved_at.desc(), SurveyProfile.id.desc()).limit(1))


def profile_named(name: str) -> SurveyProfile | None:
    return db.session.scalar(select(SurveyProfile).where(SurveyProfile.name == name.strip()))


def profiles() -> list[SurveyProfile]:
    return db.session.scalars(select(SurveyProfile).order_by(SurveyProfile.name)).all()


def profile_mapping(profile: SurveyProfile, headers: list[str]) -> dict[str, str]:
    """The profile's mapping for a file with ``headers``; SurveyImportError naming the profile's columns the
    file does not have."""
    missing = [h for h, role in profile.mapping.items() if role and h not in headers]
    if missing:
        raise SurveyImportError(_("The mapping profile %(name)s names columns this file does not have: %(columns)s",
                                  name=repr(profile.name), columns=", ".join(repr(h) for h in missing)))
    return dict(profile.mapping)


def save_profile(name: str, headers: list[str], roles: dict[str, str]) -> SurveyProfile:
    """Keep the mapping ``roles`` (header -> role; headers without one are "not used") of a file with ``headers``
    under ``name``; a profile of that name is replaced. One audit row."""
    name = name.strip()
    if not name:
        raise SurveyImportError(_("Give the mapping profile a name."))
    mapping = {h: roles.get(h, "") for h in headers}
    profile = profile_named(name)
    before = {"headers": profile.headers, "mapping": profile.mapping} if profile else None
    if profile is None:
        profile = SurveyProfile(name=name)
        db.session.add(profile)
    actor = current_user._get_current_object() if current_user and current_user.is_authenticated else None
    profile.headers, profile.headers_key, profile.mapping = headers, headers_key(headers), mapping
    profile.saved_by_label = actor.email if actor else audit.actor_label()
    profile.saved_at = utcnow()
    db.session.flush()
    audit.record("survey.profile_save", "survey_profile", profile.id, before=before,
                 after={"name": name, "headers": headers, "mapping": mapping})
    return profile


def delete_profile(profile_id: int) -> str:
    """Delete a profile (one audit row) and return its name; StaleState if it was deleted before (a repeated
    request), 404 if it never existed."""
    profile = db.session.get(SurveyProfile, profile_id)
    if profile is None:
        deleted = db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "survey.profile_delete",
                                                                AuditEntry.object_id == str(profile_id)).limit(1))
        if deleted is None:
            abort(404)
        raise StaleState(_("This mapping profile was already deleted."))
    name = profile.name
    audit.record("survey.profile_delete", "survey_profile", profile.id,
                 before={"name": name, "headers": profile.headers, "mapping": profile.mapping})
    db.session.delete(profile)
    db.session.flush()
    return name
