"""Loading a country's municipality list from a tab-separated file."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from labelapp.core import audit
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "municipalities" / "ee.tsv"
COLUMNS = ("country", "code", "name", "region", "kind")


class MunicipalityFileError(ValueError):
    """The file cannot be loaded; ``problems`` lists every one, with row and column."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass
class LoadResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def read_file(path: Path) -> list[dict[str, str]]:
    """Parse and validate the whole file; raise ``MunicipalityFileError`` listing every problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MunicipalityFileError(path, [f"cannot be read as UTF-8 text ({exc})"]) from exc
    reader = csv.DictReader(text.splitlines(), delimiter="\t")
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise MunicipalityFileError(
            path, [f"missing column(s) {', '.join(missing)}; the header must be: {' TAB '.join(COLUMNS)}"]
        )
    rows, problems, seen = [], [], {}
    for number, raw in enumerate(reader, start=2):
        row = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        for column in COLUMNS:
            if not row[column]:
                problems.append(f"row {number}, column {column}: empty; a value is required")
        if row["country"] and (len(row["country"]) != 2 or not row["country"].isalpha()):
            problems.append(
                f"row {number}, column country: {row['country']!r} is not a two-letter country code"
            )
        key = (row["country"].upper(), row["code"])
        if row["code"] and key in seen:
            problems.append(f"row {number}, column code: {row['code']!r} repeats row {seen[key]}")
        seen.setdefault(key, number)
        row["country"] = row["country"].upper()
        rows.append(row)
    if not rows and not problems:
        problems.append("no rows below the header")
    if problems:
        raise MunicipalityFileError(path, problems)
    return rows


def load(path: Path = DEFAULT_FILE) -> LoadResult:
    """Insert new and update changed municipalities from ``path``; never deletes (labels refer to them).

    Idempotent: loading the same file twice changes nothing the second time. Raises
    ``MunicipalityFileError`` before writing anything if any row is bad. Flushes, does not commit.
    """
    rows = read_file(path)
    existing = {(m.country, m.code): m for m in db.session.scalars(select(Municipality))}
    result = LoadResult()
    for row in rows:
        municipality = existing.get((row["country"], row["code"]))
        if municipality is None:
            db.session.add(Municipality(**row))
            result.added.append(row["code"])
            continue
        changed = {c: row[c] for c in ("name", "region", "kind") if getattr(municipality, c) != row[c]}
        if changed:
            for column, value in changed.items():
                setattr(municipality, column, value)
            result.updated.append(row["code"])
        else:
            result.unchanged += 1
    if result.added or result.updated:
        audit.record(
            "municipalities.load",
            "municipality",
            None,
            after={"file": path.name, "added": result.added, "updated": result.updated},
        )
    db.session.flush()
    return result
