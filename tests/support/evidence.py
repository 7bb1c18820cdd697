"""Evidence files for upload tests, and the upload as the evidence page makes it."""

import io
import os

from tests.support.web import csrf_token

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(client, url, content: bytes, name: str, title: str = ""):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, "form": "upload", "upload-title": title,
                                  "upload-file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def stored_files(app) -> list:
    folder = app.instance_path + "/uploads/evidence"
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []
