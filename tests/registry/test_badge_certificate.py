"""Badge: accessible name with municipality and state, 'expiring soon' unlike 'valid', an SVG 404, embeddable
anywhere. Certificate: the QR code scales inside its box; a revoked or expired label's certificate says so."""

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: N817  (parsing our own SVG, in a test)

import pytest
from sqlalchemy import select

from labelapp.extensions import db
from labelapp.labels.models import Label, LabelState
from tests.registry.conftest import labels  # noqa: F401  (fixture)

SVG = "{http://www.w3.org/2000/svg}"


def badge(client, public_id: str):
    client.set_cookie("lang", "en")
    with client.get(f"/badge/{public_id}.svg") as response:
        return response, ET.fromstring(response.data)  # noqa: S314


def set_state(app, public_id: str, state: LabelState, valid_until: dt.date | None = None) -> None:
    with app.app_context():
        label = db.session.scalar(select(Label).where(Label.public_id == public_id))
        label.state = state
        label.valid_until = valid_until or label.valid_until
        db.session.commit()


def test_the_badge_names_municipality_and_state_for_screen_readers(client, labels):  # noqa: F811
    response, root = badge(client, labels["0793"])
    assert root.get("aria-label") is None  # it would hide the title
    title = root.find(f"{SVG}title")
    assert root.get("role") == "img" and root.get("aria-labelledby") == title.get("id")
    assert "Tartu linn" in title.text and "revoked" in title.text.lower()
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_expiring_soon_looks_different_from_valid(app, client, labels):  # noqa: F811
    _response, valid = badge(client, labels["0784"])
    set_state(app, labels["0784"], LabelState.EXPIRING)
    _response, expiring = badge(client, labels["0784"])
    assert valid.find(f"{SVG}rect").get("fill") != expiring.find(f"{SVG}rect").get("fill")
    texts = ["".join(t.itertext()) for t in expiring.iter(f"{SVG}text")]
    assert any("expiring" in t.lower() for t in texts)
    assert "expiring" in expiring.find(f"{SVG}title").text.lower()


@pytest.mark.parametrize("public_id", ["unknown", "-", "a.b", "x" * 40])
def test_an_unknown_badge_is_an_svg_not_found_badge(client, public_id):
    with client.get(f"/badge/{public_id}.svg") as response:
        assert response.status_code == 404 and response.mimetype == "image/svg+xml"
        root = ET.fromstring(response.data)  # noqa: S314
        assert root.find(f"{SVG}title").text
        assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_the_qr_code_has_a_viewbox_and_no_fixed_size(client, labels):  # noqa: F811
    html = client.get(f"/registry/certificate/{labels['0784']}").get_data(as_text=True)
    start = html.index("<svg", html.index('class="certificate-qr"'))
    svg = ET.fromstring(html[start:html.index("</svg>", start) + 6])  # noqa: S314
    assert svg.get("viewBox") is not None
    assert (svg.get("width"), svg.get("height")) == (None, None)


@pytest.mark.parametrize("state,words", [(LabelState.REVOKED, "revoked"), (LabelState.EXPIRED, "expired"),
                                         (LabelState.UNDER_REVIEW, "under review")])
def test_a_certificate_that_no_longer_holds_says_so_across_the_page(app, client, labels, state, words):  # noqa: F811
    set_state(app, labels["0784"], state)
    client.set_cookie("lang", "en")
    html = client.get(f"/registry/certificate/{labels['0784']}").get_data(as_text=True)
    assert 'class="certificate-void"' in html
    void = html[html.index('class="certificate-void"'):]
    assert words in void[:void.index("</")].lower()
    assert "is awarded the inclusive municipality label" not in html


def test_a_valid_certificate_has_no_notice(client, labels):  # noqa: F811
    html = client.get(f"/registry/certificate/{labels['0784']}").get_data(as_text=True)
    assert "certificate-void" not in html
