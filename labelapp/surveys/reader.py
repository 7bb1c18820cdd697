"""Reading survey files as they really arrive: CSV with , ; or tab, decimal commas, UTF-8 (with or without
BOM) or Windows-1257, and XLSX/ODS sheets with title rows above the header. Yields chunks of rows."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from flask import current_app, has_app_context
from flask_babel import gettext as _

from labelapp.config import DEFAULTS
from labelapp.core import uploads
from labelapp.surveys.names import column_role

CHUNK_ROWS = 250_000
HEADER_SEARCH_ROWS = 20
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
NUMERIC_ROLES = {"weight", "share", "n"}
EXCEL_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


class FormatError(ValueError):
    """The file cannot be read as a table; the message says why and what is accepted."""


@dataclass
class Layout:
    kind: str  # csv | excel
    encoding: str = "utf-8"
    separator: str = ","
    decimal: str = "."
    header_row: int = 0  # 0-based line (or sheet row) of the header
    headers: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # header -> canonical role

    @property
    def first_data_line(self) -> int:
        """1-based line number of the first data row, for messages."""
        return self.header_row + 2


def _decode_sample(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", raw[3:].decode("utf-8", errors="ignore")
    try:
        # Cut at the last newline so that a character split by the sample's end does not count as invalid.
        return "utf-8", raw[: raw.rfind(b"\n") + 1 or len(raw)].decode("utf-8")
    except UnicodeDecodeError:
        return "cp1257", raw.decode("cp1257")


def _roles(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    roles = {}
    for header in headers:
        role = mapping.get(header) or column_role(header)
        if role and role not in roles.values():
            roles[header] = role
    return roles


def _header_index(rows: list[list[str]], mapping: dict[str, str]) -> int:
    """The first row naming at least two known columns; failing that, the first row as wide as the table
    (title rows above it are narrower), so that its columns can be mapped by hand."""
    widths = []
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [str(c).strip() for c in row if str(c).strip()]
        if len(_roles(cells, mapping)) >= 2:
            return index
        widths.append(len(cells))
    widest = max(widths, default=0)
    return widths.index(widest) if widest else 0


def detect(path: Path, mapping: dict[str, str] | None = None) -> Layout:
    """Work out how to read ``path``. Raises FormatError for an empty file or one with no header row."""
    mapping = mapping or {}
    with path.open("rb") as handle:
        raw = handle.read(64 * 1024)
    if not raw.strip():
        raise FormatError(_("the file is empty"))
    if raw.startswith(EXCEL_SIGNATURES):
        return _detect_excel(path, mapping)
    encoding, text = _decode_sample(raw)
    lines = [line for line in text.splitlines() if line.strip()][: HEADER_SEARCH_ROWS + 5]
    separator = _separator(lines)
    rows = list(csv.reader(lines, delimiter=separator))
    header = _header_index(rows, mapping)
    headers = [c.strip() for c in rows[header]]
    data = [cell for row in rows[header + 1:] for cell in row]
    decimal = "," if separator != "," and any(DECIMAL_COMMA.match(c.strip()) for c in data) else "."
    # Blank lines above the header are not counted by pandas' skiprows on lines; count raw lines instead.
    raw_header_line = next(i for i, line in enumerate(text.splitlines()) if line.strip() and
                           next(csv.reader([line], delimiter=separator)) == rows[header])
    return Layout("csv", encoding, separator, decimal, raw_header_line, headers, _roles(headers, mapping))


def _separator(lines: list[str]) -> str:
    """The separator that splits the most lines into the same number (2 or more) of fields; ties go to the one
    giving more fields, so a decimal comma inside ';' or tab separated data does not win."""
    best, best_score = ",", (-1, -1)
    for candidate in (";", "\t", ","):
        counts = [len(row) for row in csv.reader(lines, delimiter=candidate)]
        usable = [c for c in counts if c >= 2]
        if not usable:
            continue
        modal = max(set(usable), key=usable.count)
        score = (usable.count(modal), modal)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _read_excel(path: Path) -> pd.DataFrame:
    if zipfile.is_zipfile(path):  # XLSX, ODS (XLS is not a ZIP archive and has no XML)
        try:
            config = current_app.config if has_app_context() else DEFAULTS
            uploads.check_archive(path, config["ARCHIVE_MAX_UNCOMPRESSED_BYTES"])
        except uploads.UploadError as exc:
            raise FormatError(str(exc)) from exc
    try:
        return pd.read_excel(path, header=None, dtype=str, engine="calamine").fillna("")
    except Exception as exc:  # noqa: BLE001  (calamine raises its own error types for broken files)
        raise FormatError(_("cannot be read as a spreadsheet (XLSX, XLS or ODS): %(error)s", error=exc)) from exc


def _detect_excel(path: Path, mapping: dict[str, str]) -> Layout:
    frame = _read_excel(path)
    rows = frame.head(HEADER_SEARCH_ROWS).values.tolist()
    if not rows:
        raise FormatError(_("the spreadsheet is empty"))
    header = _header_index(rows, mapping)
    headers = [str(c).strip() for c in rows[header]]
    return Layout("excel", header_row=header, headers=headers, roles=_roles(headers, mapping))


def chunks(path: Path, layout: Layout, chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """Rows with canonical column names for the mapped columns, in chunks, each with a ``_line`` column (the
    1-based line or sheet row, for messages). Text stays text (codes keep their leading zeros); the importer
    converts numbers."""
    columns = {header: role for header, role in layout.roles.items()}
    if layout.kind == "excel":
        frame = _read_excel(path)
        body = frame.iloc[layout.header_row + 1:]
        body.columns = [str(c).strip() for c in frame.iloc[layout.header_row]]
        body = body[list(columns)].rename(columns=columns)
        body = body[(body != "").any(axis=1)]
        body = body.assign(_line=body.index + 1).reset_index(drop=True)
        for start in range(0, len(body), chunk_rows):
            yield body.iloc[start:start + chunk_rows]
        return
    # Text columns are read as categories (few distinct values: the parser finds them once) and codes as text
    # (keeping leading zeros); numeric ones are parsed by the C parser with the detected decimal mark, and
    # anything it cannot parse is left as text for the importer to report.
    text = {header: "category" for header, role in columns.items() if role not in NUMERIC_ROLES}
    # Category parsing infers numbers in the categories (0784 -> 784), so codes stay plain text.
    text.update({header: object for header, role in columns.items() if role == "code"})
    reader = pd.read_csv(
        path, sep=layout.separator, encoding=layout.encoding, skiprows=layout.header_row, header=0,
        usecols=lambda name: name.strip() in columns, dtype=text, keep_default_na=False,
        na_values=[""], decimal=layout.decimal, chunksize=chunk_rows, skip_blank_lines=True, engine="c",
    )
    line = layout.first_data_line
    for part in reader:
        part.columns = [columns[c.strip()] for c in part.columns]
        part["_line"] = range(line, line + len(part))
        yield part
        line += len(part)


def numbers(values: pd.Series, decimal: str) -> pd.Series:
    """Text to floats, accepting a decimal comma; what is not a number becomes NaN (the caller reports it)."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    text = values.astype(str).str.strip()
    if decimal == "," or text.str.contains(",", regex=False).any():
        text = text.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")

