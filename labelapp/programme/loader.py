"""Reading the programme file and checking it against every criteria version (files and published versions)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import inspect, select

from labelapp.criteria import services as criteria_services
from labelapp.criteria.loader import CriteriaFileError, _describe, discover, read, yaml_mapping
from labelapp.criteria.models import CriteriaVersion
from labelapp.extensions import db

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile
    from labelapp.programme.schema import ProgrammeFile

FILE_NAME = "programme.yaml"


class ProgrammeFileError(ValueError):
    """A programme file that cannot be used; ``problems`` are (path inside the file, what is wrong)."""

    def __init__(self, path: Path, problems: list[tuple[str, str]]):
        self.path, self.problems = path, problems
        super().__init__(f"{path}: " + "; ".join(f"{where}: {what}" for where, what in problems))


@dataclass(frozen=True)
class Checked:
    data: ProgrammeFile
    warnings: list[str]


def programme_path() -> Path:
    """``PROGRAMME_FILE`` if configured, else ``programme.yaml`` in the criteria folder."""
    configured = current_app.config.get("PROGRAMME_FILE")
    return Path(configured) if configured else criteria_services.criteria_dir() / FILE_NAME


def criteria_versions() -> dict[str, CriteriaFile]:
    """Every criteria version the service knows, by label: the published ones as published, the valid files."""
    found: dict[str, CriteriaFile] = {}
    for path in discover(criteria_services.criteria_dir()):
        try:
            data = read(path).data
        except CriteriaFileError:
            continue  # reported by `flask criteria validate`
        found[f"{data.framework} {data.version}"] = data
    if inspect(db.engine).has_table("criteria_version"):
        for stored in db.session.scalars(select(CriteriaVersion)):
            found[f"{stored.framework} {stored.version}"] = criteria_services.load(stored)
    return found


def parse(path: Path, raw: bytes, versions: dict[str, CriteriaFile]) -> Checked:
    """Validate the bytes of a programme file against ``versions``; raise ProgrammeFileError with every problem."""
    from pydantic import ValidationError

    from labelapp.criteria.schema import format_location
    from labelapp.programme.schema import ProgrammeFile, cross_check

    document = yaml_mapping(path, raw, ProgrammeFileError, "schema_version, title, …")
    try:
        data = ProgrammeFile.model_validate(document)
    except ValidationError as exc:
        raise ProgrammeFileError(path, [(format_location(error["loc"]), _describe(error))
                                        for error in exc.errors()]) from exc
    known = {criterion.id for version in versions.values() for _area, criterion in version.criteria()}
    problems = cross_check(data, known)
    if problems:
        raise ProgrammeFileError(path, problems)
    return Checked(data, coverage_warnings(data, versions))


def coverage_warnings(data: ProgrammeFile, versions: dict[str, CriteriaFile]) -> list[str]:
    """Conditions that a criteria version can never meet: their criterion is not in it and not renamed."""
    aliases = data.aliases()
    warnings = []
    for label, version in sorted(versions.items()):
        ids = {criterion.id for _area, criterion in version.criteria()}
        for indicator in data.indicators:
            for condition in indicator.conditions():
                if condition.criterion not in ids and aliases.get(condition.criterion) not in ids:
                    warnings.append(f"indicator {indicator.id!r}: criteria {label} has no {condition.criterion!r} "
                                    f"and the file maps it to none of its criteria, so it is never met there")
    return warnings


_cache: dict[str, ProgrammeFile] = {}


def load_checked(path: Path | None = None) -> Checked:
    path = path or programme_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProgrammeFileError(path, [("(file)", f"cannot be read: {exc.strerror}")]) from exc
    return parse(path, raw, criteria_versions())


def load() -> ProgrammeFile:
    """The programme file, validated; parsed once per content (the pages ask for it on every request)."""
    path = programme_path()
    raw = path.read_bytes()
    key = hashlib.sha256(raw).hexdigest()
    if key not in _cache:
        _cache[key] = parse(path, raw, criteria_versions()).data
    return _cache[key]
