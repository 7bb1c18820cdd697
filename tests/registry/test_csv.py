"""The CSV download opens right everywhere: BOM, plain ids and ISO dates, formulas only neutralised in free
text, conditional requests, streamed and cached like the JSON list."""

import csv
import io

import pytest
from sqlalchemy import select, text

from labelapp.extensions import db
from labelapp.labels.models import Label
from tests.registry.conftest import labels  # noqa: F401  (fixture)
from tests.support.queries import count_queries

HEADER = ["public_id", "ehak_code", "municipality", "county", "state", "state_reason", "level", "awarded_on",
          "valid_until", "criteria_version"]


def fetch(client, path: str, **kwargs):
    """The whole response, read to the end (a streamed response holds its request open until then)."""
    with client.get(path, **kwargs) as response:
        response.get_data()
        return response


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_the_file_starts_with_a_bom_and_keeps_the_letters(client, labels):  # noqa: F811
    response = fetch(client, "/api/v1/labels.csv")
    assert response.get_data().startswith(b"\xef\xbb\xbfpublic_id,")
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    rows = rows_of(response)
    assert list(rows[0]) == HEADER
    assert {r["municipality"] for r in rows} == {"Tallinn", "Tartu linn", "Saaremaa vald", "Muhu vald"}


def test_dates_are_iso_and_codes_keep_their_leading_zeros(client, labels):  # noqa: F811
    with client.get("/api/v1/labels.csv?state=revoked") as response:
        (tartu,) = rows_of(response)
    assert tartu["ehak_code"] == "0793"
    assert tartu["awarded_on"][4] == "-" and len(tartu["awarded_on"]) == 10


@pytest.mark.parametrize("start", ["-", "=", "+", "@"])
def test_ids_that_start_like_a_formula_are_left_as_they_are(app, client, labels, start):  # noqa: F811
    public_id = start + labels["0784"][1:]
    with app.app_context():
        db.session.execute(text("UPDATE label SET public_id = :new WHERE public_id = :old"),
                           {"new": public_id, "old": labels["0784"]})
        db.session.commit()
    with client.get("/api/v1/labels.csv") as response:
        tallinn = next(r for r in rows_of(response) if r["ehak_code"] == "0784")
    assert tallinn["public_id"] == public_id
    assert client.get(f"/api/v1/labels/{public_id}").status_code == 200


def test_free_text_that_starts_like_a_formula_is_neutralised(app, client, labels):  # noqa: F811
    with app.app_context():
        db.session.execute(text("UPDATE municipality SET name = '=1+1', region = '@SUM(A1)' WHERE code = '0784'"))
        db.session.execute(text("UPDATE label SET state_reason = '-2+3' WHERE public_id = :id"),
                           {"id": labels["0784"]})
        db.session.commit()
    with client.get("/api/v1/labels.csv") as response:
        row = next(r for r in rows_of(response) if r["ehak_code"] == "0784")
    assert (row["municipality"], row["county"], row["state_reason"]) == ("'=1+1", "'@SUM(A1)", "'-2+3")


def test_unchanged_csv_is_not_sent_again_until_the_registry_changes(app, client, labels):  # noqa: F811
    first = fetch(client, "/api/v1/labels.csv")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = fetch(client, "/api/v1/labels.csv", headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.get_data()) == (304, b"")
    since = fetch(client, "/api/v1/labels.csv", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other_filter = fetch(client, "/api/v1/labels.csv?state=revoked")
    assert other_filter.headers["ETag"] != first.headers["ETag"]
    with app.app_context():
        db.session.execute(text("UPDATE label SET level = 'x' WHERE public_id = :id"), {"id": labels["0784"]})
        db.session.commit()
    changed = fetch(client, "/api/v1/labels.csv", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]


def test_the_csv_is_streamed_and_then_served_from_the_cache(app, client, labels):  # noqa: F811
    first = fetch(client, "/api/v1/labels.csv")
    assert "Content-Length" not in first.headers  # sent as it is written, not built whole first
    with count_queries(app) as cached:
        assert fetch(client, "/api/v1/labels.csv").get_data() == first.get_data()
    # Answered in front of the app (core/frontcache.py): no statement through the app's engine; the change marker
    # is read on a connection of its own.
    assert cached == []


def test_a_cached_csv_still_shows_a_change_at_once(app, client, labels):  # noqa: F811
    fetch(client, "/api/v1/labels.csv")
    with app.app_context():
        tallinn = db.session.scalar(select(Label).where(Label.public_id == labels["0784"]))
        tallinn.state_reason = "Changed after the first download."
        db.session.commit()
    with client.get("/api/v1/labels.csv") as response:
        row = next(r for r in rows_of(response) if r["ehak_code"] == "0784")
    assert row["state_reason"] == "Changed after the first download."
