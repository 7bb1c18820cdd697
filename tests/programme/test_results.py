"""Each indicator computed by hand from the small world in conftest.py, compared with the JSON, the CSV and the page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from labelapp.auth.models import Role
from labelapp.extensions import db
from tests.programme.conftest import LAST, THIS, decided, submitted
from tests.support.factories import make_user
from tests.support.queries import count_queries

IDS = ["communities-defined", "representatives", "cocreation-formats", "systematic-engagement", "services-cocreated"]


def by_hand(verified: list[int], self_assessed: list[int]) -> dict:
    return {i: {"verified": v, "self_assessed": s} for i, v, s in zip(IDS, verified, self_assessed, strict=True)}


# Last year only Tallinn was decided (awarded 1 June): mapping 3 and dialogue 2 -> communities defined; its
# representatives are at 1 -> no; formats and regularity 2 -> co-creation; decisions.feedback 1 -> not systematic;
# services.cocreated and services.feedback 2 -> services co-created. Nobody had submitted a self-assessment by then
# (all were submitted today), so nothing is self-assessed.
LAST_YEAR = by_hand([1, 0, 1, 0, 1], [0, 0, 0, 0, 0])
# This year: Tallinn as above; Tartu (declined) meets only "representatives"; Harku (2026.1, every criterion at 2)
# meets all five, services through the rename services.feedback -> services.quality. Saaremaa, not decided, meets
# all five on its own self-assessment (level 2 everywhere), counted apart.
THIS_YEAR = by_hand([1 + 0 + 1, 0 + 1 + 1, 1 + 0 + 1, 0 + 0 + 1, 1 + 0 + 1], [1, 1, 1, 1, 1])


def year(payload: dict, number: int) -> dict:
    return next(y for y in payload["years"] if y["year"] == number)


def test_each_indicator_matches_the_hand_count(client, world):
    payload = client.get("/api/v1/programme/results").get_json()
    assert [y["year"] for y in payload["years"]] == [LAST - 1, LAST, THIS, THIS + 1]
    assert year(payload, LAST - 1)["indicators"] == by_hand([0] * 5, [0] * 5)
    assert year(payload, LAST)["indicators"] == LAST_YEAR
    assert year(payload, LAST)["municipalities"] == {"verified": 1, "self_assessed": 0}
    assert year(payload, THIS)["indicators"] == THIS_YEAR
    assert year(payload, THIS)["municipalities"] == {"verified": 3, "self_assessed": 1}
    assert year(payload, THIS + 1)["started"] is False
    # Labels: municipalities awarded by the end of the year, against the cumulative targets.
    assert year(payload, LAST)["labels_awarded"] == {"value": 1, "target": 1}
    assert year(payload, THIS)["labels_awarded"] == {"value": 2, "target": 3}
    assert year(payload, THIS)["good_examples"] == {"value": 0, "target": 2}


def test_filters_by_type_and_county(client, world):
    rural = year(client.get("/api/v1/programme/results?type=rural").get_json(), THIS)
    # Harku (verified, all five) and Saaremaa (self-assessed, all five).
    assert rural["indicators"] == by_hand([1] * 5, [1] * 5)
    assert rural["labels_awarded"]["value"] == 1
    harju = year(client.get("/api/v1/programme/results?county=Harju maakond").get_json(), THIS)
    # Tallinn and Harku.
    assert harju["indicators"] == by_hand([2, 1, 2, 1, 2], [0] * 5)
    nowhere = year(client.get("/api/v1/programme/results?county=Atlantis").get_json(), THIS)
    assert nowhere["indicators"] == by_hand([0] * 5, [0] * 5)


def test_the_csv_holds_the_same_figures(client, world):
    response = client.get("/api/v1/programme/results.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    this = {r["measure"]: r for r in rows if r["year"] == str(THIS)}
    for indicator, figures in THIS_YEAR.items():
        assert (int(this[indicator]["verified"]), int(this[indicator]["self_assessed"])) == (
            figures["verified"], figures["self_assessed"])
    assert (this["labels-awarded"]["verified"], this["labels-awarded"]["target"]) == ("2", "3")


@pytest.mark.parametrize("language", ["et", "en"])
def test_the_page_shows_the_same_figures(client, world, language):
    client.set_cookie("lang", language)
    page = client.get("/programme")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    title = "Programme results" if language == "en" else "Programmi tulemused"
    assert f"<h1>{title}</h1>" in text
    # The verified table's row of "communities defined": last year 1, this year 2.
    name = ("Communities have defined themselves and are accepted by the municipality" if language == "en"
            else "Kogukonnad on end määratlenud ja KOV on nad aktsepteerinud")
    verified_row, self_row = text.split(f'<th scope="row">{name}</th>')[1:3]
    cells = verified_row.split("</tr>")[0]
    assert cells.count("<td>") == 4
    assert [c.split("</td>")[0] for c in cells.split("<td>")[1:]] == ["0", "1", "2", "–"]
    # The self-assessed table: Saaremaa this year.
    assert [c.split("</td>")[0] for c in self_row.split("</tr>")[0].split("<td>")[1:]] == ["0", "0", "1", "–"]


def test_bad_filters_are_refused_by_name(client, world):
    response = client.get("/api/v1/programme/results?type=town")
    assert response.status_code == 400
    assert response.get_json()["invalid-params"][0]["name"] == "type"
    assert client.get("/programme?type=town").status_code == 400


def test_the_results_take_the_same_number_of_queries_at_two_sizes(app, client, world):
    client.get("/api/v1/programme/results?type=city")  # parses the programme file once
    with count_queries(app) as small:
        client.get("/api/v1/programme/results")
    with count_queries(app) as again:
        client.get("/api/v1/programme/results")
    with app.test_request_context():
        panel = [make_user(Role.ASSESSOR, commit=False), make_user(Role.ASSESSOR, commit=False)]
        coordinator = make_user(Role.COORDINATOR, commit=False)
        for code in ("0624", "0184", "0478"):
            staff = make_user(Role.STAFF, code, commit=False)
            decided(staff, submitted(staff, "2025.1", {}, 2), panel, coordinator, {}, 3, "award", dt.date.today())
        db.session.commit()
    with count_queries(app) as large:
        payload = client.get("/api/v1/programme/results").get_json()
    assert len(small) == len(large)
    # Unchanged data: the figures are reused after one query that would notice any change.
    assert len(again) == 1
    assert year(payload, THIS)["municipalities"] == {"verified": 6, "self_assessed": 1}
