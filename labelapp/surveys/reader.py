"""Reading survey files as they really arrive: CSV with , ; or tab, decimal commas, UTF-8 (with or without
BOM) or Windows-1257, and XLSX/ODS sheets with title rows above the header. Yields chunks of rows."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pandas.api.types import union_categoricals

from labelapp.config import DEFAULTS
from labelapp.core import uploads
from labelapp.surveys.names import column_role
from labelapp.surveys.recognise import NUMBER, SAMPLE_ROWS, recognise

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
    header_offset: int = 0  # byte where the header starts (CSV): title lines above it are never parsed as CSV
    header_lines: int = 1  # lines the header takes (a quoted header cell may hold a line break)
    reasons: dict[str, object] = field(default_factory=dict)  # header -> why it has its role (shown to people)
    ambiguous: list[list[str]] = field(default_factory=list)  # headers that could each be the answer
    sample: list[list[str]] = field(default_factory=list, repr=False)  # rows below the header, for recognition

    @property
    def first_data_line(self) -> int:
        """1-based line number of the first data row, for messages."""
        return self.header_row + self.header_lines + 1


SCAN_BYTES = 1024 * 1024
# Control characters other than tab, line feed, form feed and carriage return do not occur in text files.
BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
CP1257_UNDEFINED = re.compile(rb"[\x81\x83\x88\x8a\x8c\x90\x98\x9a\x9c\x9f\xa1\xa5]")
NOT_TEXT = _l("this is not a text or spreadsheet file (CSV, XLSX, XLS or ODS)")


def _where(path: Path, offset: int) -> tuple[int, int]:
    """(1-based line, 1-based byte within that line) of the byte at ``offset``."""
    line, start, position = 1, 0, 0
    with path.open("rb") as handle:
        while position < offset and (chunk := handle.read(min(SCAN_BYTES, offset - position))):
            line += chunk.count(b"\n")
            if (last := chunk.rfind(b"\n")) >= 0:
                start = position + last + 1
            position += len(chunk)
    return line, offset - start + 1


def _others(pattern: re.Pattern) -> bytes:
    """Every byte that ``pattern`` (a one-byte class) does not match: deleted by ``bytes.translate``, what is left
    are the bytes it matches (much faster than searching every chunk with the pattern)."""
    return bytes(b for b in range(256) if not pattern.match(bytes([b])))


def _first(path: Path, pattern: re.Pattern) -> int | None:
    """Offset of the first byte matching ``pattern`` (a one-byte class), or None."""
    position, others = 0, _others(pattern)
    with path.open("rb") as handle:
        while chunk := handle.read(SCAN_BYTES):
            if chunk.translate(None, others) and (found := pattern.search(chunk)):
                return position + found.start()
            position += len(chunk)
    return None


def _utf8_break(path: Path) -> tuple[int, bool] | None:
    """None if the whole file is UTF-8; else (offset of the first byte that is not, whether the text before it
    has any non-ASCII character)."""
    position, carry, non_ascii = 0, b"", False
    with path.open("rb") as handle:
        while chunk := handle.read(SCAN_BYTES):
            data, base = carry + chunk, position - len(carry)
            position += len(chunk)
            carry = b""
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.reason == "unexpected end of data" and exc.end == len(data):
                    data, carry = data[:exc.start], data[exc.start:]  # a character cut by the chunk's end
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError as inner:
                    return base + inner.start, non_ascii or not data[:inner.start].isascii()
            non_ascii = non_ascii or not data.isascii()
    return (position - len(carry), non_ascii) if carry else None  # the file ends inside a character


def _byte_at(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(1)[0]


def _encoding(path: Path) -> str:
    """The one encoding the whole file is in: UTF-8 (with or without BOM) or Windows-1257. Raises FormatError
    for binary content, for bytes neither encoding defines, and for a file that is UTF-8 up to some line and
    something else after it, naming the line and byte."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(_("the file is UTF-16 text; save it as CSV in UTF-8"))
    if (binary := _first(path, BINARY)) is not None:
        line, byte = _where(path, binary)
        raise FormatError(_("%(what)s: line %(line)d, byte %(byte)d is the control byte 0x%(code)02X",
                            what=NOT_TEXT, line=line, byte=byte, code=_byte_at(path, binary)))
    broken = _utf8_break(path)
    if broken is None:
        return "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8"
    offset, non_ascii = broken
    if non_ascii:
        line, byte = _where(path, offset)
        raise FormatError(_("the file mixes encodings: it is UTF-8 up to line %(line)d, where byte %(byte)d "
                            "(0x%(code)02X) is not; save the whole file again as UTF-8",
                            line=line, byte=byte, code=_byte_at(path, offset)))
    if (undefined := _first(path, CP1257_UNDEFINED)) is not None:
        line, byte = _where(path, undefined)
        raise FormatError(_("%(what)s: line %(line)d, byte %(byte)d (0x%(code)02X) is neither UTF-8 nor "
                            "Windows-1257", what=NOT_TEXT, line=line, byte=byte, code=_byte_at(path, undefined)))
    return "cp1257"


def _records(text: str, separator: str) -> list[tuple[int, int, list[str]]]:
    """(first line, lines taken, cells) of each non-blank CSV record in ``text``; a quoted cell may span lines.
    Only \\n, \\r and \\r\\n end a line (not U+2028 and its kind)."""
    out, reader = [], csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    before = 0
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                out.append((before, reader.line_num - before, row))
            before = reader.line_num
    except csv.Error:
        pass  # e.g. a NUL or a quote left open at the end of the sample: what was read so far is enough
    return out


def _roles(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    roles = {}
    for header in headers:
        role = mapping[header] if header in mapping else column_role(header)  # "" = not used, by choice
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
    """Work out how to read ``path``. Raises FormatError for an empty file, one with no header row, or one that
    is not text in one encoding."""
    mapping = mapping or {}
    with path.open("rb") as handle:
        raw = handle.read(64 * 1024)
        whole = not handle.read(1)
    if not raw.strip():
        raise FormatError(_("the file is empty"))
    if raw.startswith(EXCEL_SIGNATURES):
        return _detect_excel(path, mapping)
    encoding = _encoding(path)
    if not whole:  # cut at the last line end so that no character or line is split by the sample's end
        raw = raw[: raw.rfind(b"\n") + 1 or len(raw)]
    text = raw.decode(encoding, errors="replace")
    plain_lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip()][: HEADER_SEARCH_ROWS + 5]
    separator = _separator(plain_lines)
    records = _records(text, separator)[: HEADER_SEARCH_ROWS + 5]
    if not records:
        raise FormatError(_("the file is empty"))
    header = _header_index([cells for _line, _span, cells in records], mapping)
    header_line, header_lines, cells = records[header]
    headers = [c.strip() for c in cells]
    data = [cell for _line, _span, row in records[header + 1:] for cell in row]
    decimal = "," if separator != "," and any(DECIMAL_COMMA.match(c.strip()) for c in data) else "."
    starts = [0] + [m.end() for m in re.finditer(rb"\r\n|\r|\n", raw)]  # the lines csv.reader counted
    offset = starts[header_line]
    sample = [cells for _line, _span, cells in _records(text, separator)[header + 1: header + 1 + SAMPLE_ROWS]]
    roles, reasons, ambiguous = recognise(headers, sample, _roles(headers, mapping), mapping)
    return Layout("csv", encoding, separator, decimal, header_line, headers, roles, header_offset=offset,
                  header_lines=header_lines, reasons=reasons, ambiguous=ambiguous, sample=sample)


def _separator(lines: list[str]) -> str:
    """The separator that splits the most lines into the same number (2 or more) of fields, counting the
    splits (lines × (fields − 1)), so a decimal comma inside ';' or tab separated data does not win."""
    best, best_score = ",", (-1, -1)
    for candidate in (";", "\t", ","):
        counts = [len(row) for row in csv.reader(lines, delimiter=candidate)]
        usable = [c for c in counts if c >= 2]
        if not usable:
            continue
        modal = max(set(usable), key=usable.count)
        score = (usable.count(modal) * (modal - 1), modal)  # a decimal comma in one column splits lines in two
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
    sample = frame.iloc[header + 1: header + 1 + SAMPLE_ROWS].values.tolist()
    roles, reasons, ambiguous = recognise(headers, sample, _roles(headers, mapping), mapping)
    return Layout("excel", header_row=header, headers=headers, roles=roles, reasons=reasons, ambiguous=ambiguous,
                  sample=[[str(c) for c in row] for row in sample])


@dataclass
class Parsed:
    """A whole file read once (at staging): how it is read (``layout``, without roles), every row below the header
    with columns by position (``frame``) and each row's 1-based line or sheet row (``lines``); or why it cannot
    be read (``error``). Kept beside the staged file, so that the preview, each reload, a new mapping and the
    import read this instead of the file."""

    layout: Layout | None
    frame: pd.DataFrame | None = None
    lines: np.ndarray | None = None
    error: str | None = None


class _Counting(io.RawIOBase):
    """A binary file that reports the bytes read from it (the parser's progress)."""

    def __init__(self, handle: BinaryIO, progress: Callable[[int], None]):
        super().__init__()
        self.handle, self.progress = handle, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.handle.readinto(buffer)
        self.progress(count)
        return count


def _column_types(layout: Layout) -> dict[int, object]:
    """How the parser reads each column, judged from the sampled values: numbers with a fractional part
    (weights, shares) are left to its number inference (absent here); whole numbers are read as text, so that
    codes keep their leading zeros; other text as categories (few distinct values: found once; the parser
    would turn categories that are all digits into numbers, hence not those)."""
    out: dict[int, object] = {}
    for index in range(len(layout.headers)):
        values = [str(row[index]).strip() for row in layout.sample if index < len(row) and str(row[index]).strip()]
        numeric = bool(values) and all(NUMBER.match(v) and "%" not in v for v in values)
        if numeric and any(layout.decimal in v for v in values):
            continue
        out[index] = str if numeric else "category"
    return out


def parse(path: Path, progress: Callable[[int], None] | None = None) -> Parsed:
    """Read the whole file once: how it is laid out, and every row below the header. ``progress`` is called with
    the bytes read (text files)."""
    try:
        layout = detect(path)
    except FormatError as exc:
        return Parsed(None, error=str(exc))
    layout = replace(layout, roles={}, reasons={}, ambiguous=[])
    if layout.kind == "excel":
        try:
            frame = _read_excel(path)
        except FormatError as exc:
            return Parsed(None, error=str(exc))
        body = frame.iloc[layout.header_row + 1:]
        lines = body.index.to_numpy() + 1
        body = body.reset_index(drop=True)
        body.columns = range(body.shape[1])
        return Parsed(layout, body, lines)
    text = _column_types(layout)
    with path.open("rb") as handle:
        handle.seek(layout.header_offset)  # title lines above the header are not CSV: never parse them
        parts, line = [], layout.first_data_line
        try:
            for part in pd.read_csv(
                    io.BufferedReader(_Counting(handle, progress)) if progress else handle, sep=layout.separator,
                    encoding=layout.encoding, header=0, dtype=text, keep_default_na=False, na_values=[""],
                    decimal=layout.decimal, skip_blank_lines=True, engine="c", chunksize=CHUNK_ROWS):
                part.columns = range(part.shape[1])
                for index, kind in text.items():
                    if kind is str and index in part:  # now that the digits are text: one string per value
                        part[index] = part[index].astype("category")
                parts.append(part)
                line += len(part)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
            return Parsed(None, error=_("the file cannot be read as a table after line %(line)d: %(error)s",
                                        line=line - 1, error=str(exc).strip()))
    frame = _concat(parts)
    first = layout.first_data_line
    return Parsed(layout, frame, np.arange(first, first + len(frame)))


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The chunks as one table; a text column stays a category column (pd.concat would make it plain text)."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return pd.DataFrame()
    columns = {}
    for column in parts[0].columns:
        pieces = [part[column] for part in parts]
        if all(isinstance(piece.dtype, pd.CategoricalDtype) for piece in pieces):
            columns[column] = pd.Series(union_categoricals(pieces))
        else:
            columns[column] = pd.concat(pieces, ignore_index=True)
    return pd.DataFrame(columns)


def with_roles(parsed: Parsed, mapping: dict[str, str] | None = None) -> Layout:
    """The parsed file's layout with each column's role: the coordinator's ``mapping`` first, then header words,
    then the values (recognise.py)."""
    mapping = mapping or {}
    layout = parsed.layout
    roles, reasons, ambiguous = recognise(layout.headers, layout.sample, _roles(layout.headers, mapping), mapping)
    return replace(layout, roles=roles, reasons=reasons, ambiguous=ambiguous)


def parsed_chunks(parsed: Parsed, layout: Layout, chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """The mapped columns under their role names, in chunks, each with a ``_line`` column (the 1-based line or
    sheet row, for messages). Text stays text (codes keep their leading zeros); the importer converts numbers."""
    position: dict[str, int] = {}
    for index, header in enumerate(layout.headers):
        position.setdefault(header, index)
    roles = {position[header]: role for header, role in layout.roles.items()
             if position[header] < parsed.frame.shape[1]}
    body = parsed.frame[list(roles)]
    body.columns = list(roles.values())
    lines = parsed.lines
    if layout.kind == "excel":  # rows blank in every mapped column are not rows
        keep = (body != "").any(axis=1).to_numpy()
        body, lines = body[keep], lines[keep]
    for role in body.columns:
        if role not in NUMERIC_ROLES and pd.api.types.is_numeric_dtype(body[role]):
            body[role] = body[role].astype(str).astype("category")  # a number column chosen as text
    for start in range(0, len(body), chunk_rows):
        part = body.iloc[start:start + chunk_rows].copy()
        part["_line"] = lines[start:start + chunk_rows]
        yield part


def numbers(values: pd.Series, decimal: str) -> pd.Series:
    """Text to floats, accepting a decimal comma and a trailing %; what is not a number becomes NaN (the caller
    reports it)."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    if isinstance(values.dtype, pd.CategoricalDtype):  # each distinct value converted once
        table = numbers(pd.Series(values.cat.categories.astype(str)), decimal).to_numpy(dtype=float)
        table = np.append(table, np.nan)  # a missing cell's code -1 picks this last entry
        return pd.Series(table[values.cat.codes.to_numpy()], index=values.index)
    text = values.astype(str).str.strip().str.removesuffix("%").str.strip()  # "61,5 %" is a share in per cent
    if decimal == "," or text.str.contains(",", regex=False).any():
        text = text.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")

