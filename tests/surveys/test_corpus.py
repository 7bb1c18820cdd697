"""The corpus of real-looking and once-crashing files (tests/surveys/corpus.py): each one gives either results
or errors that name what is wrong, through the web preview and confirm; random bytes never raise."""

import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from labelapp import create_app
from labelapp.extensions import db
from labelapp.surveys import analysis
from labelapp.surveys.models import SurveyResult
from labelapp.surveys.names import MunicipalityMatcher, Place
from tests.support.web import csrf_token
from tests.surveys.corpus import CORPUS, FOLDER
from tests.surveys.test_views import upload


def test_the_committed_files_are_what_the_generator_makes():
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(CORPUS)
    for name, (make, _expected) in CORPUS.items():
        assert (FOLDER / name).read_bytes() == make(), f"{name}: run python -m tests.surveys.corpus"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_file_through_preview_and_confirm(app, client, login_as, name):
    kind, expected = CORPUS[name][1]
    login_as("coordinator")
    client.set_cookie("lang", "en")
    response = upload(client, (FOLDER / name).read_bytes(), name=name)
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    confirmed = client.post(response.headers["Location"] + "/confirm", data={"csrf_token": csrf_token(page)})
    assert confirmed.status_code == 302
    with app.app_context():
        stored = {r.municipality.code: (r.value, r.n, r.flag) for r in db.session.scalars(
            select(SurveyResult).options(db.joinedload(SurveyResult.municipality)))}
    if kind == "ok":
        assert "errors — nothing can be imported" not in page
        assert stored == expected
    else:
        assert expected in page.replace("&#39;", "'")
        assert stored == {}


PLACES = MunicipalityMatcher([Place(1, "0784", "Tallinn"), Place(2, "0793", "Tartu linn"),
                              Place(3, "0618", "Põltsamaa vald")])
CELLS = st.one_of(
    st.sampled_from(["0784", "784", "Tallinn", "Tallina linnn", "", " ", "Väga rahul", "Ei oska öelda", "pigem RAHUL",
                     "1,5", "0", "-1", "1e400", "nan", "inf", "99999999999999999999999", '"', '"a\nb"', "\u2028",
                     "EHAK", "vastus", "kaal", "osakaal", "n", "keel", "Q7 Kuivõrd olete rahul", "%", "61,5 %"]),
    st.text(alphabet=string.printable + "õäöüšžÕÄÖÜ\u2028\x00\xa0", max_size=12))
SHAPES = st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=0, max_size=12)


@pytest.fixture(scope="module")
def bare_app():
    with tempfile.TemporaryDirectory() as instance:
        yield create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "fuzz",
                          "INSTANCE_PATH": instance})


def _analyse_never_raises(app, data: bytes) -> None:
    with app.test_request_context(), tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(data)
        report = analysis.analyse(path, "fuzz.csv", PLACES)
        assert report.ok == (report.errors == []) and (report.ok or report.results == [])
        if report.layout is not None and report.ok:
            assert report.accounting["read"] == report.accounting["used"] + sum(report.accounting["excluded"].values())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes_give_errors_or_a_result(bare_app, data):
    _analyse_never_raises(bare_app, data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=SHAPES, separator=st.sampled_from([";", ",", "\t"]), encoding=st.sampled_from(["utf-8", "cp1257"]),
       title=st.booleans())
def test_random_csv_shapes_give_errors_or_a_result(bare_app, rows, separator, encoding, title):
    text = ("Elanike rahulolu\u2028tabel\n" if title else "") + "\n".join(separator.join(r) for r in rows)
    _analyse_never_raises(bare_app, text.encode(encoding, errors="replace"))
