"""Subgroup shares (questionnaire language) for the municipality's staff, the public and the coordinator: in words,
with intervals and n, a chart beside a table, and groups under the minimum sample left out with a note."""

import re

from sqlalchemy import select

from labelapp.extensions import db
from labelapp.surveys import subgroups, words
from labelapp.surveys.models import SurveyResult, SurveyWave
from tests.support.queries import count_queries
from tests.surveys.files import write_text

HEADER = ["ehak", "vastus", "keel"]


def respondents(et=40, ru=12, en=11, code="0784"):
    """Tallinn: et all satisfied, ru and en under the minimum sample of 30 (but 10 or more, so stored)."""
    return ([[code, "Pigem rahul", "et"]] * (et - 10) + [[code, "Pigem ei ole rahul", "et"]] * 10
            + [[code, "Väga rahul", "ru"]] * ru + [[code, "Pigem rahul", "en"]] * en)


def import_wave(runner, tmp_path, rows, year=2025):
    path = write_text(tmp_path / f"vastajad{year}.csv", [HEADER, *rows])
    result = runner.invoke(args=["survey", "import", str(path), "--wave", str(year)])
    assert result.exit_code == 0, result.output


def test_staff_see_subgroups_with_intervals_and_a_note_for_small_groups_in_estonian(client, login_as, runner,
                                                                                  tmp_path):
    import_wave(runner, tmp_path, respondents())
    login_as("staff")  # Tallinn
    client.set_cookie("lang", "et")
    html = client.get("/survey").get_data(as_text=True)
    assert "Küsitluse keel" in html and "Eesti keel" in html
    assert "75,0 %" in html  # 30 of 40 satisfied
    assert re.search(r"\d+,\d–\d+,\d %", html.split("Küsitluse keel")[-1])  # the interval, decimal commas
    assert "<td>40</td>" in html
    assert "2 rühma on alla 30 vastaja ja neid ei näidata." in html
    assert "Vene keel" not in html and ">ru<" not in html and ">language" not in html
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Eesti keel" in svg and "75,0 %" in svg and 'class="chart-whisker"' in svg


def test_subgroups_read_in_english_with_language_names(client, login_as, runner, tmp_path):
    import_wave(runner, tmp_path, respondents(ru=35))
    login_as("staff")
    client.set_cookie("lang", "en")
    html = client.get("/survey").get_data(as_text=True)
    assert "Questionnaire language" in html and "Estonian" in html and "Russian" in html
    assert "1 group has fewer than 30 respondents and is not shown." in html
    assert "English" not in html.split("Questionnaire language")[-1].split("</table>")[0]


def test_the_public_registry_page_shows_the_latest_waves_subgroups(client, runner, tmp_path):
    import_wave(runner, tmp_path, respondents(), year=2024)
    import_wave(runner, tmp_path, respondents(et=50, ru=31), year=2025)
    client.set_cookie("lang", "et")
    html = client.get("/registry/0784").get_data(as_text=True)
    assert "Vastajarühmad 2025. aasta uuringus" in html
    assert "Vene keel" in html and "1 rühm on alla 30 vastaja ja seda ei näidata." in html


def test_the_registry_page_reads_subgroups_with_queries_that_do_not_grow(app, client, runner, tmp_path):
    import_wave(runner, tmp_path, respondents(), year=2023)
    with count_queries(app) as few:
        client.get("/registry/0784")
    for year in (2024, 2025, 2026):
        import_wave(runner, tmp_path, respondents(et=40 + year - 2023), year=year)
    with count_queries(app) as many:
        html = client.get("/registry/0784").get_data(as_text=True)
    assert "2026" in html
    assert len(many) == len(few)


def test_the_coordinators_wave_page_has_the_chart_and_table_not_a_one_line_note(app, client, login_as, runner,
                                                                                tmp_path):
    import_wave(runner, tmp_path, respondents() + respondents(code="0793"))
    with app.app_context():
        wave_id = db.session.scalar(select(SurveyWave.id))
    login_as("coordinator")
    client.set_cookie("lang", "en")
    html = client.get(f"/admin/surveys/{wave_id}").get_data(as_text=True)
    assert html.count('class="chart"') == 2  # Tallinn and Tartu
    assert 'href="#subgroups-0784-engagement-satisfaction"' in html
    assert "2 groups have fewer than 30 respondents and are not shown." in html
    assert "Questionnaire language: et" not in html


def test_group_values_in_words(app):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert [words.group("language", v) for v in ("et", "RU", "eesti", "fi", "xx?")] == \
            ["Estonian", "Russian", "Estonian", "Finnish", "xx?"]
        assert [words.group("gender", v) for v in ("N", "mees")] == ["Women", "Men"]
        assert words.group("age_group", "18-34") == "18-34"
        shown = subgroups.shown({"language": {"et": {"value": 60.0, "n": 30, "ci_low": 1.0, "ci_high": 2.0},
                                              "ru": {"value": 50.0, "n": 29, "ci_low": 1.0, "ci_high": 2.0}}}, 30)
        assert [(c.name, [g.name for g in c.groups], c.hidden) for c in shown] == \
            [("Questionnaire language", ["Estonian"], 1)]


def test_stored_subgroups_keep_their_codes(app, runner, tmp_path):
    import_wave(runner, tmp_path, respondents())
    with app.app_context():
        stored = db.session.scalar(select(SurveyResult.subgroups))
    assert sorted(stored["language"]) == ["en", "et", "ru"]


def test_groups_too_small_to_compute_are_counted_in_the_note(app, client, login_as, runner, tmp_path):
    """A group of 3 respondents (under the 10 needed for any figure) is still said to be left out."""
    import_wave(runner, tmp_path, respondents(ru=12, en=3))
    login_as("staff")
    client.set_cookie("lang", "en")
    html = client.get("/survey").get_data(as_text=True)
    assert "2 groups have fewer than 30 respondents and are not shown." in html
    with app.app_context():
        stored = db.session.scalars(select(SurveyResult.subgroups)).all()
    assert {"n": 3} in [groups.get("language", {}).get("en") for groups in stored if groups]
