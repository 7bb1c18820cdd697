"""Importing real-world messy survey files; every bad file leaves the database unchanged."""

import csv
import io

import pytest
from sqlalchemy import func, select

from labelapp.extensions import db
from labelapp.surveys import services
from labelapp.surveys.models import SurveyResult, SurveyWave
from tests.support.oracles import wilson_by_quadratic
from tests.surveys.files import write_ods, write_text, write_xlsx

AGG_HEADER = ["EHAK-kood", "Omavalitsus", "Rahulolevate osakaal", "Vastajaid"]


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(SurveyWave)),
                db.session.scalar(select(func.count()).select_from(SurveyResult)))


def run(runner, path, *extra):
    return runner.invoke(args=["survey", "import", str(path), "--wave", "2024", *extra])


def stored(app) -> dict[str, tuple]:
    with app.app_context():
        rows = db.session.execute(select(SurveyResult).options(db.joinedload(SurveyResult.municipality))).scalars()
        return {r.municipality.code: (r.value, r.n, r.flag) for r in rows}


def test_semicolons_decimal_commas_bom_and_dropped_zero(app, runner, tmp_path):
    path = write_text(tmp_path / "kov.csv", [AGG_HEADER, ["784", "Tallinna linn", "61,5", "812"],
                                             ["0478", "Muhu vald", "71,0", "18"]], sep=";", bom=True)
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert stored(app) == {"0784": (61.5, 812, "ok"), "0478": (71.0, 18, "insufficient")}


def test_windows_1257_tab_separated_with_title_lines(app, runner, tmp_path):
    rows = [["KOV", "Vastus", "Kaal"]] + [["Põltsamaa vald", "Pigem rahul", "1,5"]] * 20 + \
        [["Põltsamaa vald", "Üldse pole rahul", "0,5"]] * 20
    path = write_text(tmp_path / "vastajad.txt", rows, sep="\t", encoding="cp1257",
                      title_lines=["Elanike rahulolu uuring 2024", ""])
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert stored(app) == {"0618": (75.0, 40, "ok")}


def test_xlsx_with_title_rows_and_accented_headers(app, runner, tmp_path):
    path = write_xlsx(tmp_path / "kov.xlsx", [["EHAK KOOD", "OMAVALITSUS", "Osakaal", "N"],
                                              ["0793", "Tartu linn", 58.2, 402], [796, "Tartu vald", 49, 120]])
    assert run(runner, path).exit_code == 0
    assert stored(app) == {"0793": (58.2, 402, "ok"), "0796": (49.0, 120, "ok")}


def test_ods_with_a_title_row(app, runner, tmp_path):
    path = write_ods(tmp_path / "kov.ods", [["Omavalitsus", "Rahulolevate osakaal", "Vastajaid"],
                                            ["Saaremaa vald", 66.6, 150]])
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert stored(app) == {"0714": (66.6, 150, "ok")}


def test_code_wins_over_a_disagreeing_name_with_a_warning(app, runner, tmp_path):
    path = write_text(tmp_path / "kov.csv", [AGG_HEADER, ["0784", "Tartu linn", "60", "500"]])
    result = run(runner, path)
    assert result.exit_code == 0
    assert "the code 0784 is Tallinn, but the name says 'Tartu linn'; the code is used" in result.output
    assert stored(app) == {"0784": (60.0, 500, "ok")}


def test_respondent_aggregation_weights_kish_and_wilson(app, runner, tmp_path):
    # Tallinn: satisfied weights 2,2,1 ; dissatisfied 1 ; "don't know" left out. Language subgroup: et has 10+.
    rows = [["ehak", "vastus", "kaal", "keel"]]
    rows += [["0784", "Väga rahul", "2", "et"]] * 2 + [["0784", "Pigem rahul", "1", "et"]] * 8
    rows += [["0784", "Pigem ei ole rahul", "1", "ru"]] * 5 + [["0784", "Ei oska öelda", "3", "ru"]] * 4
    path = write_text(tmp_path / "vastajad.csv", rows)
    assert run(runner, path).exit_code == 0
    weights = [2, 2] + [1] * 8 + [1] * 5
    satisfied = 2 + 2 + 8
    p = satisfied / sum(weights)
    n_eff = sum(weights) ** 2 / sum(w * w for w in weights)
    low, high = wilson_by_quadratic(p, n_eff)
    with app.app_context():
        result = db.session.scalar(select(SurveyResult))
        assert result.n == 15
        assert result.value == round(100 * p, 2)
        assert result.n_effective == round(n_eff, 2)
        assert (result.ci_low, result.ci_high) == (round(100 * low, 2), round(100 * high, 2))
        assert result.flag == "insufficient"  # 15 < 30, the minimum sample
        # ru has only 5 with an opinion: too few for any figure, kept as a count so pages can say it is left out
        assert result.subgroups["language"]["ru"] == {"n": 5}
        assert result.subgroups["language"]["et"]["value"] == 100.0


@pytest.mark.parametrize("rows,message", [
    ([["ehak", "vastus"], ["0784", "Rahul"]], "row 2, column 'vastus': 'Rahul': not an answer on the national scale"),
    ([["ehak", "vastus", "kaal"], ["0784", "Pigem rahul", "-1"]], "row 2, column 'kaal': '-1': expected a number"),
    ([AGG_HEADER, ["0784", "Tallinn", "101", "10"]], "row 2, column 'Rahulolevate osakaal': '101': expected a share"),
    ([AGG_HEADER, ["0784", "Tallinn", "50", "10"], ["784", "Tallinn", "51", "11"]],
     "row 3, column 'EHAK-kood': '784': the municipality appears twice for indicator engagement_satisfaction"),
    ([["ehak", "kaal"], ["0784", "1"]], "missing required column(s): Answer"),
    ([["omavalitsus", "vastus"], ["Tallin", "Pigem rahul"]],
     "'Tallin': not a known municipality name; closest: Tallinn"),
    ([["ehak", "vastus"], ["9999", "Pigem rahul"]], "'9999': not a known municipality code"),
    ([["ehak", "vastus"]], "the file has a header but no data rows"),
])
def test_bad_file_is_refused_with_row_column_value_and_nothing_changes(app, runner, tmp_path, rows, message):
    before = counts(app)
    result = run(runner, write_text(tmp_path / "bad.csv", rows))
    assert result.exit_code == 1
    assert message in result.output
    assert "nothing was imported" in result.output
    assert counts(app) == before


def test_empty_file_is_refused(app, runner, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = run(runner, path)
    assert result.exit_code == 1 and "the file is empty" in result.output
    assert counts(app) == (0, 0)


def test_good_rows_before_a_bad_one_are_not_written(app, runner, tmp_path):
    rows = [AGG_HEADER] + [["0784", "Tallinn", "50", "100"], ["0793", "Tartu linn", "50", "100"],
                           ["0478", "Muhu", "abc", "10"]]
    assert run(runner, write_text(tmp_path / "half.csv", rows)).exit_code == 1
    assert counts(app) == (0, 0)


def test_unrecognised_columns_can_be_mapped(app, runner, tmp_path):
    path = write_text(tmp_path / "q.csv", [["KOV_ID", "Q12", "w"], ["0784", "Pigem rahul", "1"]])
    refused = run(runner, path)
    assert refused.exit_code == 1 and "missing required column(s)" in refused.output
    result = run(runner, path, "--map", "KOV_ID=code", "--map", "Q12=answer", "--map", "w=weight")
    assert result.exit_code == 0, result.output
    assert stored(app) == {"0784": (100.0, 1, "insufficient")}


def test_same_content_twice_is_refused_and_a_correction_supersedes(app, runner, tmp_path):
    first = write_text(tmp_path / "a.csv", [AGG_HEADER, ["0784", "Tallinn", "50", "100"]])
    assert run(runner, first).exit_code == 0
    again = run(runner, first)
    assert again.exit_code == 1 and "already imported" in again.output
    corrected = write_text(tmp_path / "b.csv", [AGG_HEADER, ["0784", "Tallinn", "55", "100"]])
    refused = run(runner, corrected)
    assert refused.exit_code == 1 and "supersede" in refused.output
    assert run(runner, corrected, "--supersede").exit_code == 0
    with app.app_context():
        old, new = db.session.scalars(select(SurveyWave).order_by(SurveyWave.id)).all()
        assert old.superseded_by_id == new.id and new.current
        assert services.latest_result(services.matcher().by_code_text("0784").id).value == 55.0
        assert len(old.results) == 1  # the history stays


def test_dry_run_prints_results_and_stores_nothing(app, runner, tmp_path):
    path = write_text(tmp_path / "a.csv", [AGG_HEADER, ["0784", "Tallinn", "50", "100"]])
    result = run(runner, path, "--dry-run")
    assert result.exit_code == 0
    assert "0784,Tallinn,engagement_satisfaction,50.0,100,100.0," in result.output
    assert counts(app) == (0, 0)


def test_export_writes_the_documented_columns(app, runner, tmp_path):
    run(runner, write_text(tmp_path / "a.csv", [AGG_HEADER, ["0784", "Tallinn", "50", "100"]]))
    result = runner.invoke(args=["survey", "export", "--wave", "2024"])
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["ehak_code", "municipality", "indicator", "value", "n", "n_effective", "ci_low", "ci_high",
                       "flag"]
    low, high = wilson_by_quadratic(0.5, 100)
    assert rows[1] == ["0784", "Tallinn", "engagement_satisfaction", "50.0", "100", "100.0",
                       str(round(100 * low, 2)), str(round(100 * high, 2)), "ok"]
