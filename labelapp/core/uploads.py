"""Uploaded files: size-capped streaming to the instance folder, type decided by content, random names."""

from __future__ import annotations

import hashlib
import os
import secrets
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from labelapp.core.errors import DomainError, TooLarge

# kind -> (content type, usual extension)
KINDS = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
}
ARCHIVE_KINDS = {"docx", "xlsx", "odt", "ods"}
ODF_MIMETYPES = {KINDS["odt"][0]: "odt", KINDS["ods"][0]: "ods"}
CHUNK = 64 * 1024


class UploadError(DomainError):
    pass


class UploadTooLarge(UploadError, TooLarge):
    pass


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    size: int
    sha256: str
    kind: str

    @property
    def content_type(self) -> str:
        return KINDS[self.kind][0]


def human_size(size: int) -> str:
    """1536 -> '1.5 KB', 20971520 -> '20 MB' (numbers in the interface language)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{format_decimal(round(size / factor, 1))} {unit}"
    return f"{size} B"


def upload_dir(*parts: str) -> Path:
    path = Path(current_app.instance_path, "uploads", *parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def sniff(path: Path) -> str | None:
    """The kind of file by its content (not its name), or None if it is not an accepted kind."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    return None


def _sniff_zip(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                return ODF_MIMETYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, OSError):
        return None
    return None


# Office files (XLSX, DOCX, ODS, ODT) are ZIP archives of XML. Before any parser sees one, it is unpacked as a
# stream, counting real (not declared) sizes, and every XML part (by name: .xml, .rels, .vml; or by content) is
# parsed whole by expat, refusing any DTD or entity declaration (billion laughs, external entities) wherever it
# stands. Only those handlers are set (as defusedxml does), so nothing is built and no Python runs per element:
# a 200 MB spreadsheet is checked at expat's speed.
ARCHIVE_MAX_MEMBERS = 10_000
ARCHIVE_MAX_RATIO = 100  # uncompressed / compressed, for members above 1 MiB; spreadsheets stay far below
XML_SUFFIXES = (".xml", ".rels", ".vml")


class _Declaration(Exception):
    """An XML part declares a DTD or entities."""


def _refuse(*_args) -> None:
    raise _Declaration()


def _xml_parser():
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    return parser


def _looks_like_xml(head: bytes) -> bool:
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") or head.startswith((b"\xff\xfe", b"\xfe\xff"))


def check_archive(path: Path, max_uncompressed: int) -> None:
    """Refuse a ZIP bomb or an XML entity bomb inside an office file; raise UploadError saying which."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > ARCHIVE_MAX_MEMBERS:
                raise UploadError(_("The file holds %(n)s parts; at most %(max)s are accepted.",
                                    n=len(members), max=ARCHIVE_MAX_MEMBERS))
            total = 0
            for member in members:
                total += _check_member(archive, member, max_uncompressed - total, max_uncompressed)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise UploadError(_("The file is damaged and cannot be opened (%(error)s).", error=exc)) from exc


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, room: int, limit: int) -> int:
    unpacked, parser = 0, None
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            if unpacked == 0 and (member.filename.lower().endswith(XML_SUFFIXES) or _looks_like_xml(chunk)):
                parser = _xml_parser()
            unpacked += len(chunk)
            if unpacked > room:
                raise UploadError(_("The file unpacks to more than %(size)s, which is more than any real document "
                                    "or spreadsheet needs (a \"ZIP bomb\").", size=human_size(limit)))
            if unpacked > 1024 * 1024 and unpacked > ARCHIVE_MAX_RATIO * max(member.compress_size, 1):
                raise UploadError(_("Part %(name)s of the file is compressed more than %(ratio)s times, as only a "
                                    "\"ZIP bomb\" is.", name=member.filename, ratio=ARCHIVE_MAX_RATIO))
            parser = _feed(parser, member, chunk)
        _feed(parser, member, b"", final=True)
    return unpacked


def _feed(parser, member: zipfile.ZipInfo, chunk: bytes, final: bool = False):
    if parser is None:
        return None
    try:
        parser.Parse(chunk, final)
    except _Declaration as exc:
        raise UploadError(_("Part %(name)s of the file declares XML entities or a DTD, which office files never "
                            "need (%(error)s).", name=member.filename, error="DTD")) from exc
    except expat.ExpatError:
        return None  # not well-formed: no parser reads past this point; the reader reports it in its own words
    return parser


def write_chunk(out: BinaryIO, chunk: bytes) -> None:
    """Every upload's bytes reach the disk here (tests make it fail as a full disk would)."""
    out.write(chunk)


def detected_name(filename: str, kind: str) -> str:
    """``filename`` with the extension of the kind its content was found to be: a PNG named ``plan.pdf`` is
    stored and downloaded as ``plan.png``, so that the name never promises another type than the file has."""
    stem, extension = os.path.splitext(filename)
    usual = KINDS[kind][1]
    if extension.lower().lstrip(".") in ({usual, "jpeg"} if kind == "jpeg" else {usual}):
        return filename
    return f"{stem or 'file'}.{usual}"


def store(stream: BinaryIO, folder: str, max_bytes: int, accepted: set[str],
          max_uncompressed: int | None = None) -> StoredFile:
    """Copy ``stream`` under instance/uploads/<folder>/ with a random name; refuse too large or wrong files.

    The file stays under a temporary ``.part`` name until the database session commits, which moves it into
    place just before the transaction ends; a rollback removes it (``pending``). Nothing stays on disk when it
    raises UploadError, and a crash leaves at most a ``.part`` file or an orphan that ``flask maintenance sweep``
    removes.
    """
    directory = upload_dir(folder)
    name = secrets.token_hex(16)
    partial = directory / f"{name}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadTooLarge(_("The file is larger than %(size)s.", size=human_size(max_bytes)))
                digest.update(chunk)
                write_chunk(out, chunk)
        if size == 0:
            raise UploadError(_("The file is empty."))
        kind = sniff(partial)
        if kind in ARCHIVE_KINDS and kind in accepted:
            check_archive(partial, max_uncompressed or current_app.config["ARCHIVE_MAX_UNCOMPRESSED_BYTES"])
        if kind not in accepted:
            names = ", ".join(KINDS[k][1].upper() for k in sorted(accepted))
            raise UploadError(_("This type of file is not accepted. Accepted: %(kinds)s (checked from the content, "
                                "not the name).", kinds=names))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    pending(partial, directory / name)
    return StoredFile(name, size, digest.hexdigest(), kind)


def path_of(folder: str, stored_name: str) -> Path:
    return upload_dir(folder) / stored_name


# Files that belong to rows of the current transaction: moved into place when it commits, removed when it rolls
# back. The rename happens just before COMMIT, so that a crash can leave a complete file without a row (swept
# later) but never a row without its file.
PENDING_KEY = "labelapp.pending_files"


def pending(partial: Path, final: Path) -> None:
    """Tie ``partial`` (already written) to the current database transaction; see above."""
    from labelapp.extensions import db

    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback (which fires the events) has a transaction to end; no SQL yet
    session.info.setdefault(PENDING_KEY, []).append((partial, final))


@event.listens_for(Session, "before_commit")
def _move_into_place(session: Session) -> None:
    for partial, final in session.info.get(PENDING_KEY, []):
        if partial.exists():
            os.replace(partial, final)


@event.listens_for(Session, "after_commit")
def _forget(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _remove(session: Session, previous_transaction) -> None:
    if previous_transaction.nested:
        return  # a savepoint: the outer transaction may still commit its files
    for partial, final in session.info.pop(PENDING_KEY, []):
        partial.unlink(missing_ok=True)
        final.unlink(missing_ok=True)


# Orphans: what a crash can leave behind. A package registers each folder it keeps files in, with the names
# still in use (None: every file there is temporary); `flask maintenance sweep` removes the rest once they are
# older than a day, and ``.part`` files of any folder.
SWEEP_AGE_SECONDS = 24 * 3600
_sweep_folders: dict[str, Callable[[], set[str]] | None] = {}


def register_folder(folder: str, names_in_use: Callable[[], set[str]] | None) -> None:
    _sweep_folders[folder] = names_in_use


def sweep(now: float | None = None) -> list[str]:
    """Remove orphan files older than a day; return their paths relative to the uploads folder."""
    root = Path(current_app.instance_path, "uploads")
    cutoff = (now if now is not None else time.time()) - SWEEP_AGE_SECONDS
    removed = []
    for directory in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        registered = directory.name in _sweep_folders
        names_in_use = _sweep_folders.get(directory.name)
        in_use = names_in_use() if names_in_use is not None else set()
        for path in sorted(directory.iterdir()):
            if not path.is_file() or path.stat().st_mtime >= cutoff:
                continue
            # unregistered folders: only .part files are known to be leftovers
            orphan = path.suffix == ".part" or (registered and path.name not in in_use)
            if orphan:
                path.unlink(missing_ok=True)
                removed.append(f"{directory.name}/{path.name}")
    return removed
