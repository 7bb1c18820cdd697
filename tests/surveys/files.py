"""Small survey files written by the tests, in the shapes and encodings real files come in."""

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape


def write_text(path: Path, rows: list[list[str]], sep: str = ",", encoding: str = "utf-8", bom: bool = False,
               title_lines: list[str] | None = None) -> Path:
    lines = list(title_lines or []) + [sep.join(row) for row in rows]
    data = ("\n".join(lines) + "\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path, rows: list[list], title_rows: int = 2) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for index in range(title_rows):
        sheet.append([f"Elanike rahulolu uuring, tabel {index + 1}"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_ods(path: Path, rows: list[list], title_rows: int = 1) -> Path:
    """A minimal OpenDocument spreadsheet (mimetype, manifest, content) built by hand."""
    def cell(value):
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>' \
                   "</table:table-cell>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'
    body = "".join("<table:table-row>" + cell("Kokkuvõte") + "</table:table-row>" for _ in range(title_rows))
    body += "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="Leht1">{body}</table:table></office:spreadsheet>'
               "</office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    path.write_bytes(buffer.getvalue())
    return path
