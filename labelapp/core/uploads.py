"""Uploaded files: size-capped streaming to the instance folder, type decided by content, random names."""

from __future__ import annotations

import hashlib
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

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
# stream, counting real (not declared) sizes, and each XML part's prolog is read by defusedxml, which refuses
# DTDs and entity declarations (billion laughs, external entities).
ARCHIVE_MAX_MEMBERS = 10_000
ARCHIVE_MAX_RATIO = 100  # uncompressed / compressed, for members above 1 MiB; spreadsheets stay far below
XML_PROLOG_BYTES = 64 * 1024


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
                total += _check_member(archive, member, max_uncompressed - total)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise UploadError(_("The file is damaged and cannot be opened (%(error)s).", error=exc)) from exc


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, room: int) -> int:
    unpacked, parser = 0, None
    if member.filename.endswith((".xml", ".rels")):
        parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            unpacked += len(chunk)
            if unpacked > room:
                raise UploadError(_("The file unpacks to more than %(size)s, which is more than any real document "
                                    "or spreadsheet needs (a \"ZIP bomb\").", size=human_size(room + unpacked)))
            if unpacked > 1024 * 1024 and unpacked > ARCHIVE_MAX_RATIO * max(member.compress_size, 1):
                raise UploadError(_("Part %(name)s of the file is compressed more than %(ratio)s times, as only a "
                                    "\"ZIP bomb\" is.", name=member.filename, ratio=ARCHIVE_MAX_RATIO))
            if parser is not None and unpacked - len(chunk) < XML_PROLOG_BYTES:
                try:
                    parser.feed(chunk)
                except DefusedXmlException as exc:
                    raise UploadError(_("Part %(name)s of the file declares XML entities or a DTD, which office "
                                        "files never need (%(error)s).", name=member.filename, error=exc)) from exc
                except ParseError:
                    parser = None  # not well-formed: the spreadsheet reader reports it in its own words
    return unpacked


def store(stream: BinaryIO, folder: str, max_bytes: int, accepted: set[str]) -> StoredFile:
    """Copy ``stream`` under instance/uploads/<folder>/ with a random name; refuse too large or wrong files.

    Nothing stays on disk when it raises UploadError.
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
                out.write(chunk)
        if size == 0:
            raise UploadError(_("The file is empty."))
        kind = sniff(partial)
        if kind in ARCHIVE_KINDS and kind in accepted:
            check_archive(partial, current_app.config["ARCHIVE_MAX_UNCOMPRESSED_BYTES"])
        if kind not in accepted:
            names = ", ".join(KINDS[k][1].upper() for k in sorted(accepted))
            raise UploadError(_("This type of file is not accepted. Accepted: %(kinds)s (checked from the content, "
                                "not the name).", kinds=names))
        os.replace(partial, directory / name)
    finally:
        partial.unlink(missing_ok=True)
    return StoredFile(name, size, digest.hexdigest(), kind)


def path_of(folder: str, stored_name: str) -> Path:
    return upload_dir(folder) / stored_name

