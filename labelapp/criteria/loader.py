"""Reading and validating criteria files. No database here: see services.py for publication."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile


class CriteriaFileError(ValueError):
    """A criteria file that cannot be used; ``problems`` are (path inside the file, what is wrong)."""

    def __init__(self, path: Path, problems: list[tuple[str, str]]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(f"{where}: {what}" for where, what in problems))


@dataclass(frozen=True)
class LoadedCriteria:
    path: Path
    sha256: str
    data: CriteriaFile


def _describe(error: dict) -> str:
    message = error["msg"]
    if error["type"] == "missing":
        return "missing; this field is required"
    if error["type"] == "extra_forbidden":
        return "not a known field (check the spelling)"
    given = error.get("input")
    if given is not None and not isinstance(given, (dict, list)):
        return f"{message} (found {given!r})"
    return message


def yaml_mapping(path: Path, raw: bytes, error, keys: str) -> dict:
    """The YAML document in ``raw`` as a mapping; ``error(path, [(where, problem)])`` raised for text that is
    not UTF-8, not YAML (with its line and column) or not a mapping (``keys`` says what it should hold)."""
    import yaml

    try:
        document = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(path, [("(file)", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise error(path, [(where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from exc
    if not isinstance(document, dict):
        raise error(path, [("(top level)", f"must be a mapping with {keys}")])
    return document


def parse(path: Path, raw: bytes) -> CriteriaFile:
    """Validate the bytes of a criteria file; raise CriteriaFileError listing every problem with its path."""
    from pydantic import ValidationError

    from labelapp.criteria.schema import CriteriaFile, cross_check, format_location

    document = yaml_mapping(path, raw, CriteriaFileError, "schema_version, framework, …")
    if document.get("schema_version") != 1:
        raise CriteriaFileError(path, [("schema_version", f"must be 1, found {document.get('schema_version')!r}")])
    try:
        data = CriteriaFile.model_validate(document)
    except ValidationError as exc:
        raise CriteriaFileError(
            path, [(format_location(error["loc"]), _describe(error)) for error in exc.errors()]
        ) from exc
    problems = cross_check(data)
    expected_name = f"{data.version}.yaml"
    if path.name != expected_name or path.parent.name != data.framework:
        problems.append(("(file name)", f"a file of framework {data.framework!r} version {data.version!r} must be "
                                        f"named {data.framework}/{expected_name}"))
    if problems:
        raise CriteriaFileError(path, problems)
    return data


def read(path: Path) -> LoadedCriteria:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CriteriaFileError(path, [("(file)", f"cannot be read: {exc.strerror}")]) from exc
    return LoadedCriteria(path=path, sha256=hashlib.sha256(raw).hexdigest(), data=parse(path, raw))


def discover(directory: Path) -> list[Path]:
    """Criteria files: ``<directory>/<framework>/<version>.yaml``, sorted."""
    return sorted(p for p in directory.glob("*/*.yaml") if p.is_file())
