"""The certificate printed to an A4 PDF by Chromium: the QR code on it decodes to the verification address.

The PDF is rasterised with PDFium and read with zxing-cpp, neither of them written here (a decoder reads what a
phone camera would); a revoked label's certificate, with its notice across the page, must decode as well.
"""

import pypdfium2
import pytest
import zxingcpp
from sqlalchemy import select

from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.labels import lifecycle
from labelapp.labels.models import Label
from tests.support.factories import awarded_labels


@pytest.mark.parametrize("revoked", [False, True])
def test_the_printed_qr_code_decodes_to_the_verification_page(page, live_server, app, tmp_path, revoked):
    with app.test_request_context():
        (label,) = awarded_labels(["0784"], find_user("hindaja1@demo.kaasav.ee"),
                                  find_user("koordinaator@demo.kaasav.ee"))
        if revoked:
            lifecycle.revoke(label, "Principles were repealed by the council.")
        db.session.commit()
        public_id = label.public_id
    page.goto(f"{live_server.url}/registry/certificate/{public_id}")
    link = page.inner_text(".certificate-qr figcaption a")
    assert link.endswith(f"/verify/{public_id}")
    pdf_path = tmp_path / "certificate.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf_path), format="A4", print_background=True)
    document = pypdfium2.PdfDocument(str(pdf_path))
    assert len(document) == 1  # the certificate fits one A4 page
    image = document[0].render(scale=200 / 72, grayscale=True).to_numpy()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)
               if result.format == zxingcpp.BarcodeFormat.QRCode]
    assert decoded == [link]
    with app.app_context():
        assert (db.session.scalar(select(Label.state).where(Label.public_id == public_id)).value ==
                ("revoked" if revoked else "valid"))
