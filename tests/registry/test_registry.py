"""The public registry: filters, order, pagination, constant queries; municipality page; badge; verification."""

import datetime as dt
import re

import pytest

from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.labels.models import LabelState
from tests.support.factories import awarded_labels
from tests.support.queries import count_queries


def test_registry_lists_current_holders_first_without_login(client, labels):
    html = client.get("/registry").get_data(as_text=True)
    assert "4 märgist" in html or "4 labels" in html
    assert html.index("Tallinn") < html.index("Tartu linn")  # revoked comes after the valid ones


@pytest.mark.parametrize("query,present,absent", [
    ("q=tall", ["Tallinn"], ["Muhu vald"]),
    ("county=Saare+maakond", ["Saaremaa vald", "Muhu vald"], ["Tallinn"]),
    ("state=revoked", ["Tartu linn"], ["Tallinn"]),
    (f"year={dt.date.today().year}", ["Tallinn", "Muhu vald"], []),
    ("year=1999", [], ["Tallinn"]),
    ("level=label", ["Tallinn"], []),
])
def test_registry_filters_are_in_the_query_string(client, labels, query, present, absent):
    html = client.get(f"/registry?{query}").get_data(as_text=True)
    table = html.split("<tbody>")[-1] if "<tbody>" in html else ""
    assert all(name in table for name in present)
    assert not any(name in table for name in absent)


def test_registry_sorting_and_pagination_keep_the_filters(app, client, labels, monkeypatch):
    from labelapp.registry import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    html = client.get("/registry?sort=name&county=Saare+maakond").get_data(as_text=True)
    table = html.split("<tbody>")[1]
    assert table.index("Muhu vald") < table.index("Saaremaa vald")
    first = client.get("/registry?sort=name").get_data(as_text=True)
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1)
    assert "page=2" in next_link and "sort=name" in next_link


def test_registry_query_count_does_not_grow_with_labels(app, client, users, labels):
    with count_queries(app) as few:
        client.get("/registry")
    with app.test_request_context():
        awarded_labels(["0141", "0198", "0245", "0296", "0304", "0321"], find_user(users["assessor"]),
                       find_user(users["coordinator"]))
    with count_queries(app) as many:
        html = client.get("/registry").get_data(as_text=True)
    assert "Anija vald" in html
    assert len(many) == len(few)
    # The list reads the columns its table shows: no reason documents, no other columns of the label.
    assert not [s for s in many if "state_reason" in s or "public_id" in s]


def test_municipality_page_shows_label_scores_and_survey(client, labels):
    html = client.get("/registry/0784").get_data(as_text=True)
    assert "Tallinn" in html and 'role="img"' in html and "<table>" in html
    assert f"/verify/{labels['0784']}" in html and f"/badge/{labels['0784']}.svg" in html
    revoked = client.get("/registry/0793").get_data(as_text=True)
    assert "Principles were repealed by the council." in revoked  # revocation reasons are public
    assert client.get("/registry/9999").status_code == 404


def test_badge_reflects_the_state(client, labels):
    with client.get(f"/badge/{labels['0784']}.svg") as valid:
        assert valid.headers["Content-Type"].startswith("image/svg+xml")
        assert "#073763" in valid.get_data(as_text=True)
    with client.get(f"/badge/{labels['0793']}.svg") as revoked:
        assert "#8a1c1c" in revoked.get_data(as_text=True)
    assert client.get("/badge/nope.svg").status_code == 404


def test_verify_tells_anyone_whether_a_label_is_valid(app, client, labels):
    assert "Kehtib." in client.get(f"/verify/{labels['0784']}").get_data(as_text=True) or \
        "Valid." in client.get(f"/verify/{labels['0784']}").get_data(as_text=True)
    revoked = client.get(f"/verify/{labels['0793']}").get_data(as_text=True)
    assert "Principles were repealed" in revoked
    assert client.get("/verify/unknown-id").status_code == 404
    with app.app_context():
        from sqlalchemy import select

        from labelapp.labels.models import Label

        assert db.session.scalar(select(Label.state).where(Label.public_id == labels["0793"])) == \
            LabelState.REVOKED


def test_certificate_has_a_qr_code_to_the_verification_page(client, labels):
    html = client.get(f"/registry/certificate/{labels['0784']}").get_data(as_text=True)
    assert '<svg' in html and 'class="segno"' in html
    assert f"/verify/{labels['0784']}" in html and "Tallinn" in html


def test_atom_feed_lists_the_newest_awards_and_revocations(client, labels):
    import xml.etree.ElementTree as ET  # noqa: N817  (parsing our own feed)

    with client.get("/registry/feed.atom") as response:
        assert response.headers["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.data)  # noqa: S314  (our own feed, in a test)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert len(titles) == 5 and any(t.startswith("Tallinn") for t in titles)  # 4 awards, Tartu's revocation


def test_answers_are_public_only_when_the_municipality_publishes_them(app, client, users, labels):
    from sqlalchemy import select

    from labelapp.applications.models import Application
    from tests.support.web import login, submit

    assert "About Engagement principles" not in client.get("/registry/0784").get_data(as_text=True)
    with app.app_context():
        staff_email = db.session.scalar(select(Application).join(Application.municipality)
                                        .where(Application.municipality.has(code="0784"))).created_by_id
        from labelapp.auth.models import User

        staff_email = db.session.get(User, staff_email).email
        application_id = db.session.scalar(select(Application.id).where(Application.municipality.has(code="0784")))
    staff = app.test_client()
    login(staff, staff_email)
    url = f"/applications/{application_id}"
    submit(staff, url + "/publish", {"publish": "yes"}, form_page=url)
    assert "About Engagement principles" in client.get("/registry/0784").get_data(as_text=True)
    submit(staff, url + "/publish", {"publish": "no"}, form_page=url)
    assert "About Engagement principles" not in client.get("/registry/0784").get_data(as_text=True)


def test_one_label_is_counted_in_the_singular(app, client, users):
    from labelapp.auth.services import find_user
    from tests.support.factories import awarded_labels

    with app.test_request_context():
        awarded_labels(["0784"], find_user(users["assessor"]), find_user(users["coordinator"]))
    html = client.get("/registry").get_data(as_text=True)
    assert "1 märgis<" in html and "1 märgist" not in html


@pytest.mark.parametrize("query,field,words", [
    ("state=bogus", "state",
     ["“bogus” is not a status; choose one of: valid, expiring soon, expired, under review, revoked."]),
    ("sort=bogus", "sort", ["“bogus” is not an order", "by name", "newest first"])])
def test_registry_page_says_which_filter_value_it_cannot_use(client, query, field, words):
    client.set_cookie("lang", "en")
    response = client.get(f"/registry?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for word in words:
        assert word in html
    assert f'aria-invalid="true" aria-describedby="f-{field}-error"' in html
    assert f'id="f-{field}-error"' in html and f'href="#f-{field}"' in html
    assert "under_review" not in html.split("<main", 1)[1].split("</form>", 1)[0].split("<form", 1)[0]


def test_registry_page_in_estonian_names_the_choices_in_words(client):
    html = client.get("/registry?state=bogus").get_data(as_text=True)
    assert "„bogus“" in html or "“bogus”" in html
    assert "kehtiv" in html.lower()


def test_registry_page_ignores_parameters_it_does_not_read(client):
    """Links shared with tracking parameters (utm_source …) still open the registry."""
    assert client.get("/registry?utm_source=newsletter&fbclid=abc").status_code == 200


def test_verify_page_of_a_revoked_label_says_when_it_was_revoked_not_valid_until(app, client, labels):
    revoked = client.get(f"/verify/{labels['0793']}").get_data(as_text=True)
    assert "Kehtib kuni" not in revoked and "tühistati" in revoked
    valid = client.get(f"/verify/{labels['0784']}").get_data(as_text=True)
    assert "Kehtib kuni" in valid


def test_pages_name_the_criteria_version_not_the_framework_id(client, labels):
    """"kaasav-omavalitsus" is the criteria files' folder name, not something a reader should see."""
    for path in (f"/verify/{labels['0784']}", f"/registry/certificate/{labels['0784']}"):
        response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "kaasav-omavalitsus" not in html.split("<main", 1)[1]
        assert "2025.1" in html
