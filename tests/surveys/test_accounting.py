"""Every row of a survey file is accounted for: read, used, or excluded with its reason (and errors by row)."""

from sqlalchemy import select

from labelapp.extensions import db
from labelapp.surveys import services
from labelapp.surveys.models import SurveyWave
from tests.surveys.files import write_text


def preview(app, path):
    with app.app_context():
        return services.preview(services.stage_path(path))


def test_row_with_blank_code_and_misspelt_name_is_an_error_with_its_row(app, tmp_path):
    rows = [["EHAK", "Omavalitsus", "Vastus", "Kaal"], ["0784", "Tallinn", "Väga rahul", "1"],
            ["", "Tallina linnn", "Väga rahul", "1,4"], ["", "Tartu linn", "Pigem rahul", "1"]]
    report = preview(app, write_text(tmp_path / "v.csv", rows, sep=";"))
    assert [str(p) for p in report.errors] == [
        "row 3, column 'Omavalitsus': 'Tallina linnn': not a known municipality name; "
        "closest: Tallinn, Sillamäe linn, Tartu linn"]
    assert report.accounting == {"read": 3, "used": 2, "excluded": {"unknown_municipality": 1}}


def test_blank_answers_and_dont_know_are_counted_and_reported(app, runner, tmp_path):
    rows = [["ehak", "vastus", "kaal"]] + [["0784", "Pigem rahul", "1"]] * 3 + [["0784", "", "1"]] * 2 + \
        [["0784", "Ei oska öelda", "1"]] + [["0784", "Üldse pole rahul", "2"]]
    path = write_text(tmp_path / "v.csv", rows)
    report = preview(app, path)
    assert report.ok
    assert report.accounting == {"read": 7, "used": 4, "excluded": {"no_answer": 2, "dont_know": 1}}
    assert [str(p) for p in report.warnings] == [
        "row 5, column 'vastus': 2 rows have no answer; they are counted as “no answer” and left out of the share"]
    assert report.results[0].n == 4 and report.results[0].value == 60.0
    result = runner.invoke(args=["survey", "import", str(path), "--wave", "2024"])
    assert result.exit_code == 0, result.output
    assert "7 rows read, 4 used; excluded: no answer 2, don't know 1" in result.output
    with app.app_context():
        wave = db.session.scalar(select(SurveyWave))
        assert wave.accounting == {"read": 7, "used": 4, "excluded": {"no_answer": 2, "dont_know": 1}}


def test_aggregated_rows_excluded_for_errors_are_counted(app, tmp_path):
    rows = [["EHAK", "Osakaal", "n"], ["0784", "50", "100"], ["0793", "abc", "10"], ["9999", "50", "10"],
            ["784", "51", "100"]]
    report = preview(app, write_text(tmp_path / "a.csv", rows))
    assert report.error_count == 3
    assert report.accounting == {"read": 4, "used": 1, "excluded": {
        "invalid_share": 1, "unknown_municipality": 1, "duplicate": 1}}


def test_preview_and_wave_page_show_the_accounting(app, client, login_as, tmp_path):
    from tests.support.web import csrf_token
    from tests.surveys.test_views import upload

    login_as("coordinator")
    client.set_cookie("lang", "en")
    content = "ehak;vastus\n0784;Pigem rahul\n0784;\n0784;Ei oska öelda\n".encode()
    preview_url = upload(client, content).headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    for text in ("Rows read", "<dd>3</dd>", "Rows used", "<dd>1</dd>", "Left out: No answer", "Left out: Don't know"):
        assert text in page
    client.post(preview_url + "/confirm", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        wave_id = db.session.scalar(select(SurveyWave.id))
    page = client.get(f"/admin/surveys/{wave_id}").get_data(as_text=True)
    assert "Rows used" in page and "No answer" in page
